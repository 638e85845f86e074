//! The address a request came from, for the sign-in rate limit and the audit log. Behind a
//! reverse proxy every request arrives from the proxy; its `X-Forwarded-For` names the client,
//! but only a proxy we trust may say so — anyone else could name any address and so spread
//! their failed tries over made-up addresses, or pin them on a colleague's.
use std::net::IpAddr;

/// The client's address as the middleware decided it; read by sign-in and token issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// `DEALGATE_TRUSTED_PROXIES`: addresses or CIDR blocks (`10.0.0.0/8`, `::1`), comma separated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        let mut out = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (addr, bits) = match part.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (part, None),
            };
            let addr: IpAddr = addr.parse().map_err(|_| format!("{part:?} is not an IP address or CIDR block"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                Some(b) => b.parse::<u8>().ok().filter(|b| *b <= max).ok_or_else(|| format!("{part:?}: the prefix must be 0–{max}"))?,
                None => max,
            };
            out.push((addr, bits));
        }
        Ok(TrustedProxies(out))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|&(net, bits)| match (canonical(net), ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(u128::from(u32::from(n)) << 96, u128::from(u32::from(a)) << 96, bits),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(u128::from(n), u128::from(a), bits),
            _ => false,
        })
    }
}

/// IPv4 seen through an IPv6 socket (`::ffff:10.0.0.1`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn prefix_eq(a: u128, b: u128, bits: u8) -> bool {
    bits == 0 || (a ^ b) >> (128 - u32::from(bits)) == 0
}

/// One `X-Forwarded-For` entry: a bare address, a bracketed IPv6 one (`[::1]`), or one with a
/// port (`1.2.3.4:5`, `[::1]:5`).
fn parse_entry(e: &str) -> Option<IpAddr> {
    let e = e.trim();
    let bracketed = e.strip_prefix('[').and_then(|r| r.strip_suffix(']'));
    e.parse().ok().or_else(|| bracketed.and_then(|b| b.parse().ok())).or_else(|| {
        let host = e.rsplit_once(':').map(|(h, _)| h)?;
        host.trim_start_matches('[').trim_end_matches(']').parse().ok()
    })
}

/// The client: the peer itself unless it is a trusted proxy; then, walking the forwarded
/// chain from the nearest hop back, the first address that is not a trusted proxy (entries
/// further left were written by the client and prove nothing). An entry that is not an
/// address ends the walk at the last trusted hop.
pub fn client_addr<'a>(peer: IpAddr, forwarded_for: impl IntoIterator<Item = &'a str>, trusted: &TrustedProxies) -> IpAddr {
    if !trusted.contains(peer) {
        return canonical(peer);
    }
    let chain: Vec<&str> = forwarded_for.into_iter().flat_map(|h| h.split(',')).collect();
    let mut last = canonical(peer);
    for entry in chain.iter().rev() {
        match parse_entry(entry) {
            Some(ip) if trusted.contains(ip) => last = canonical(ip),
            Some(ip) => return canonical(ip),
            None => return last,
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|_| panic!("{s}"))
    }

    #[test]
    fn the_client_is_whom_a_trusted_proxy_names_and_no_one_else() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 192.168.1.5, ::1").unwrap_or_default();
        let cases: &[(&str, &[&str], &str, &str)] = &[
            ("203.0.113.9", &[], "203.0.113.9", "no proxy, no header"),
            ("203.0.113.9", &["1.2.3.4"], "203.0.113.9", "an untrusted peer cannot name another address"),
            ("10.1.2.3", &["198.51.100.7"], "198.51.100.7", "a trusted proxy names the client"),
            ("10.1.2.3", &["6.6.6.6, 198.51.100.7"], "198.51.100.7", "what the client wrote itself is ignored"),
            ("10.1.2.3", &["6.6.6.6", "198.51.100.7"], "198.51.100.7", "several header lines are one list"),
            ("10.1.2.3", &["198.51.100.7, 192.168.1.5"], "198.51.100.7", "two trusted proxies in a row"),
            ("10.1.2.3", &["10.9.9.9, 10.8.8.8"], "10.9.9.9", "an all-trusted chain: its first hop"),
            ("10.1.2.3", &[], "10.1.2.3", "a trusted proxy without the header is the client"),
            ("10.1.2.3", &["garbage, 198.51.100.7"], "198.51.100.7", "garbage beyond the client is not read"),
            ("10.1.2.3", &["198.51.100.7, garbage"], "10.1.2.3", "garbage from a trusted hop: stop at that hop"),
            ("10.1.2.3", &["198.51.100.7:4711"], "198.51.100.7", "an entry with a port"),
            ("10.1.2.3", &["[2001:db8::1]:443"], "2001:db8::1", "an IPv6 entry with a port"),
            ("10.1.2.3", &["[2001:db8::1]"], "2001:db8::1", "a bracketed IPv6 entry without a port"),
            ("::1", &["2001:db8::2"], "2001:db8::2", "an IPv6 proxy"),
            ("::ffff:10.0.0.1", &["198.51.100.7"], "198.51.100.7", "an IPv4 proxy seen through an IPv6 socket"),
            ("192.168.1.6", &["198.51.100.7"], "192.168.1.6", "a single address trusts that address only"),
        ];
        for (peer, xff, want, why) in cases {
            assert_eq!(client_addr(ip(peer), xff.iter().copied(), &trusted), ip(want), "{why}");
        }
        // Nothing trusted (the default): the header is never read.
        assert_eq!(client_addr(ip("10.1.2.3"), ["198.51.100.7"], &TrustedProxies::default()), ip("10.1.2.3"));
    }

    #[test]
    fn trusted_proxies_parse_addresses_and_blocks_and_name_what_is_wrong() {
        let t = TrustedProxies::parse(" 10.0.0.0/8 ,,fd00::/8, 127.0.0.1 ").unwrap_or_default();
        for (a, inside) in
            [("10.255.0.1", true), ("11.0.0.1", false), ("fd12::1", true), ("fe80::1", false), ("127.0.0.1", true), ("127.0.0.2", false)]
        {
            assert_eq!(t.contains(ip(a)), inside, "{a}");
        }
        assert!(TrustedProxies::parse("0.0.0.0/0").unwrap_or_default().contains(ip("8.8.8.8")));
        assert!(TrustedProxies::parse("").unwrap_or_default().is_empty());
        for bad in ["10.0.0.0/33", "proxy.local", "10.0.0.0/x", "::/129"] {
            let e = TrustedProxies::parse(bad).unwrap_err();
            assert!(e.contains(bad), "{e}");
        }
    }
}
