//! When the WASM stops (a panic aborts it; for instance a page's chunk could not be fetched),
//! the page still looks alive but no button answers. Say so at the top of the page, in the
//! page's language, with a link that loads the same address again. Plain DOM calls: the
//! reactive system is gone by then.
pub fn show_notice() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if doc.get_element_by_id("fatal-notice").is_some() {
        return;
    }
    let zh = doc.document_element().and_then(|e| e.get_attribute("lang")).is_some_and(|l| l.starts_with("zh"));
    let (text, again) = if zh {
        ("此页面已停止响应，已保存的内容不会丢失。", "重新加载")
    } else {
        ("This page stopped responding. Nothing you saved is lost.", "Reload")
    };
    let href = doc.location().and_then(|l| l.href().ok()).unwrap_or_else(|| "/".to_owned());
    let (Ok(bar), Ok(msg), Ok(link)) = (doc.create_element("div"), doc.create_element("span"), doc.create_element("a")) else {
        return;
    };
    bar.set_id("fatal-notice");
    // Printing a page whose WASM stopped still prints what the server rendered, without this.
    bar.set_class_name("fatal-notice no-print");
    let _ = bar.set_attribute("role", "alert");
    let _ = bar.set_attribute("data-testid", "fatal-notice");
    msg.set_text_content(Some(text));
    link.set_text_content(Some(again));
    let _ = link.set_attribute("href", &href);
    // The router's click handler (still attached, in the stopped WASM) would swallow the
    // click; rel=external leaves the link to the browser.
    let _ = link.set_attribute("rel", "external");
    let _ = link.set_attribute("class", "btn btn-sm");
    let _ = link.set_attribute("data-testid", "fatal-reload");
    let _ = bar.append_child(&msg);
    let _ = bar.append_child(&link);
    if let Some(body) = doc.body() {
        let _ = body.prepend_with_node_1(&bar);
    }
}
