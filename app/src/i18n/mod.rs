//! zh-CN and en catalogues as one typed table: every key must have both translations or
//! the crate does not compile (an exhaustive `match` per language).
use crate::domain::{error::AppError, locale::Locale, role::Role};
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum K {
    AppName,
    Tagline,
    NavBoard,
    NavDeals,
    NavAccounts,
    NavApprovals,
    NavDashboard,
    NavAdmin,
    NavMenu,
    SignOut,
    Language,
    SignInTitle,
    SignInLead,
    Email,
    Password,
    SignIn,
    SigningIn,
    DemoHint,
    Loading,
    Search,
    Previous,
    Next,
    NoTeam,
    DashboardTitle,
    DashboardLead,
    OpenPipeline,
    WeightedForecast,
    OpenDeals,
    WonTotal,
    DashboardEmpty,
    BoardTitle,
    BoardLead,
    BoardEmpty,
    StageCount,
    DealsTitle,
    DealsLead,
    DealsEmpty,
    ColDeal,
    ColAccount,
    ColStage,
    ColAmount,
    ColWeighted,
    ColCloseDate,
    ColOwner,
    ColTeam,
    ColIndustry,
    ColCity,
    ColHeadcount,
    ColRevenue,
    ColContacts,
    ColOpenDeals,
    ColName,
    ColRole,
    ColStatus,
    ColManager,
    ColMembers,
    AccountsTitle,
    AccountsLead,
    AccountsEmpty,
    ApprovalsTitle,
    ApprovalsLead,
    ApprovalsEmpty,
    AdminTitle,
    AdminLead,
    AdminUsers,
    AdminTeams,
    Active,
    Inactive,
    NotFoundTitle,
    NotFoundText,
    BackHome,
    ErrorTitle,
    Overdue,
    SkipToContent,
}

pub fn t(l: Locale, k: K) -> &'static str {
    match l {
        Locale::En => en(k),
        Locale::ZhCn => zh(k),
    }
}

fn en(k: K) -> &'static str {
    use K::*;
    match k {
        AppName => "Dealgate",
        Tagline => "Stage gates, buying committees and forecasts for project sales",
        NavBoard => "Board",
        NavDeals => "Deals",
        NavAccounts => "Accounts",
        NavApprovals => "Approvals",
        NavDashboard => "Dashboard",
        NavAdmin => "Admin",
        NavMenu => "Menu",
        SignOut => "Sign out",
        Language => "Language",
        SignInTitle => "Sign in to Dealgate",
        SignInLead => "Your team's funnel, gates and forecast in one place.",
        Email => "Email",
        Password => "Password",
        SignIn => "Sign in",
        SigningIn => "Signing in…",
        DemoHint => "Demo: rep@demo.local, manager@demo.local, exec@demo.local … password dealgate",
        Loading => "Loading…",
        Search => "Search",
        Previous => "Previous",
        Next => "Next",
        NoTeam => "No team",
        DashboardTitle => "Dashboard",
        DashboardLead => "Where the pipeline you can see stands today.",
        OpenPipeline => "Open pipeline",
        WeightedForecast => "Weighted forecast",
        OpenDeals => "Open deals",
        WonTotal => "Won",
        DashboardEmpty => "No deals are visible to you yet. Deals you own, or your team owns, are counted here.",
        BoardTitle => "Funnel board",
        BoardLead => "Every stage with its count, amount and weighted amount.",
        BoardEmpty => "This pipeline has no deals you can see yet.",
        StageCount => "deals",
        DealsTitle => "Deals",
        DealsLead => "All deals you can see: open deals first, soonest close date first.",
        DealsEmpty => "No deals match. Clear the search, or ask your manager to add you to a deal team.",
        ColDeal => "Deal",
        ColAccount => "Account",
        ColStage => "Stage",
        ColAmount => "Amount",
        ColWeighted => "Weighted",
        ColCloseDate => "Close date",
        ColOwner => "Owner",
        ColTeam => "Team",
        ColIndustry => "Industry",
        ColCity => "City",
        ColHeadcount => "Headcount",
        ColRevenue => "Revenue",
        ColContacts => "Contacts",
        ColOpenDeals => "Open deals",
        ColName => "Name",
        ColRole => "Role",
        ColStatus => "Status",
        ColManager => "Manager",
        ColMembers => "Members",
        AccountsTitle => "Accounts",
        AccountsLead => "Customers of your team, with their contacts and open deals.",
        AccountsEmpty => "No accounts match. Clear the search to see every account you can access.",
        ApprovalsTitle => "Approvals",
        ApprovalsLead => "Stage moves, quotes and contracts waiting for a decision.",
        ApprovalsEmpty => "Nothing is waiting for you. Requests routed to you for approval will appear here.",
        AdminTitle => "Administration",
        AdminLead => "Users, roles and teams of your company.",
        AdminUsers => "Users",
        AdminTeams => "Teams",
        Active => "Active",
        Inactive => "Inactive",
        NotFoundTitle => "Page not found",
        NotFoundText => "The page you asked for does not exist or is not visible to you.",
        BackHome => "Back to the dashboard",
        ErrorTitle => "Something went wrong",
        Overdue => "Overdue",
        SkipToContent => "Skip to content",
    }
}

fn zh(k: K) -> &'static str {
    use K::*;
    match k {
        AppName => "Dealgate",
        Tagline => "面向项目型销售的阶段关卡、决策链与业绩预测",
        NavBoard => "销售漏斗",
        NavDeals => "商机",
        NavAccounts => "客户",
        NavApprovals => "审批",
        NavDashboard => "仪表盘",
        NavAdmin => "系统管理",
        NavMenu => "菜单",
        SignOut => "退出登录",
        Language => "语言",
        SignInTitle => "登录 Dealgate",
        SignInLead => "团队的销售漏斗、阶段关卡与业绩预测，尽在一处。",
        Email => "邮箱",
        Password => "密码",
        SignIn => "登录",
        SigningIn => "正在登录…",
        DemoHint => "演示账号：rep@demo.local、manager@demo.local、exec@demo.local …… 密码 dealgate",
        Loading => "加载中…",
        Search => "搜索",
        Previous => "上一页",
        Next => "下一页",
        NoTeam => "未分配团队",
        DashboardTitle => "仪表盘",
        DashboardLead => "您可见的销售漏斗今日概况。",
        OpenPipeline => "在途商机金额",
        WeightedForecast => "加权预测",
        OpenDeals => "在途商机数",
        WonTotal => "已成交",
        DashboardEmpty => "您暂时看不到任何商机。您或您的团队负责的商机会在这里汇总。",
        BoardTitle => "销售漏斗",
        BoardLead => "每个阶段的商机数、金额与加权金额。",
        BoardEmpty => "该漏斗中暂时没有您可见的商机。",
        StageCount => "个商机",
        DealsTitle => "商机",
        DealsLead => "您可见的全部商机：在途商机优先，按预计成交日期排序。",
        DealsEmpty => "没有符合条件的商机。请清除搜索条件，或请主管将您加入商机团队。",
        ColDeal => "商机",
        ColAccount => "客户",
        ColStage => "阶段",
        ColAmount => "金额",
        ColWeighted => "加权金额",
        ColCloseDate => "预计成交",
        ColOwner => "负责人",
        ColTeam => "团队",
        ColIndustry => "行业",
        ColCity => "城市",
        ColHeadcount => "员工数",
        ColRevenue => "年营收",
        ColContacts => "联系人",
        ColOpenDeals => "在途商机",
        ColName => "姓名",
        ColRole => "角色",
        ColStatus => "状态",
        ColManager => "主管",
        ColMembers => "成员数",
        AccountsTitle => "客户",
        AccountsLead => "团队负责的客户及其联系人与在途商机。",
        AccountsEmpty => "没有符合条件的客户。清除搜索条件即可查看您有权访问的全部客户。",
        ApprovalsTitle => "审批",
        ApprovalsLead => "等待决策的阶段推进、报价与合同。",
        ApprovalsEmpty => "暂无待办。提交给您审批的申请会显示在这里。",
        AdminTitle => "系统管理",
        AdminLead => "公司的用户、角色与团队。",
        AdminUsers => "用户",
        AdminTeams => "团队",
        Active => "启用",
        Inactive => "停用",
        NotFoundTitle => "页面不存在",
        NotFoundText => "您访问的页面不存在，或您无权查看。",
        BackHome => "返回仪表盘",
        ErrorTitle => "出错了",
        Overdue => "已逾期",
        SkipToContent => "跳到正文",
    }
}

pub fn role_name(l: Locale, r: Role) -> &'static str {
    match (l, r) {
        (Locale::En, Role::Rep) => "Sales rep",
        (Locale::En, Role::Presales) => "Presales",
        (Locale::En, Role::Manager) => "Sales manager",
        (Locale::En, Role::Legal) => "Legal",
        (Locale::En, Role::Gm) => "General manager",
        (Locale::En, Role::Executive) => "Executive",
        (Locale::En, Role::Admin) => "Administrator",
        (Locale::ZhCn, Role::Rep) => "客户经理",
        (Locale::ZhCn, Role::Presales) => "售前顾问",
        (Locale::ZhCn, Role::Manager) => "销售主管",
        (Locale::ZhCn, Role::Legal) => "法务",
        (Locale::ZhCn, Role::Gm) => "总经理",
        (Locale::ZhCn, Role::Executive) => "高层",
        (Locale::ZhCn, Role::Admin) => "系统管理员",
    }
}

/// The sentence a user sees for an error: what happened and what to do.
pub fn error_message(l: Locale, e: &AppError) -> String {
    match (l, e) {
        (Locale::En, AppError::Unauthorized) => "Your session has ended. Please sign in again.".into(),
        (Locale::ZhCn, AppError::Unauthorized) => "登录已失效，请重新登录。".into(),
        (Locale::En, AppError::BadCredentials) => "Wrong email or password. Check both and try again.".into(),
        (Locale::ZhCn, AppError::BadCredentials) => "邮箱或密码错误，请检查后重试。".into(),
        (Locale::En, AppError::RateLimited { retry_after_secs }) => {
            format!("Too many failed sign-ins. Try again in {} minute(s).", retry_after_secs.div_ceil(60))
        }
        (Locale::ZhCn, AppError::RateLimited { retry_after_secs }) => {
            format!("登录失败次数过多，请 {} 分钟后再试。", retry_after_secs.div_ceil(60))
        }
        (Locale::En, AppError::Forbidden) => "You are not allowed to do this. Ask your manager or an administrator.".into(),
        (Locale::ZhCn, AppError::Forbidden) => "您没有执行此操作的权限，请联系主管或管理员。".into(),
        (Locale::En, AppError::NotFound) => "Not found, or not visible to you.".into(),
        (Locale::ZhCn, AppError::NotFound) => "未找到，或您无权查看。".into(),
        (Locale::En, AppError::Validation { field, message }) => format!("Please correct {field}: {message}"),
        (Locale::ZhCn, AppError::Validation { field, message }) => format!("请修改 {field}：{message}"),
        (Locale::En, AppError::Conflict) => "Someone else changed this meanwhile. We reloaded it; please check and try again.".into(),
        (Locale::ZhCn, AppError::Conflict) => "他人刚刚修改了此内容，已为您重新加载，请核对后重试。".into(),
        (Locale::En, AppError::Internal) => "Something failed on our side. Your input is kept; please try again.".into(),
        (Locale::ZhCn, AppError::Internal) => "服务器出错，您的输入已保留，请重试。".into(),
        (Locale::En, AppError::Transport(_)) => "The server could not be reached. Check your connection and try again.".into(),
        (Locale::ZhCn, AppError::Transport(_)) => "无法连接服务器，请检查网络后重试。".into(),
    }
}

/// "Showing 1–50 of 120"
pub fn showing(l: Locale, from: u64, to: u64, total: u64) -> String {
    match l {
        Locale::En => format!("Showing {from}–{to} of {total}"),
        Locale::ZhCn => format!("第 {from}–{to} 条，共 {total} 条"),
    }
}

/// The reactive language of the page, provided once at the root.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Locale>);

impl I18n {
    pub fn locale(self) -> Locale {
        self.0.get()
    }

    pub fn t(self, k: K) -> &'static str {
        t(self.0.get(), k)
    }
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(RwSignal::new(Locale::En)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_catalogue_is_chinese() {
        // Brand names stay; everything a user reads must be translated.
        for k in [K::NavBoard, K::SignIn, K::DealsEmpty, K::SignOut, K::ApprovalsEmpty] {
            assert_ne!(t(Locale::En, k), t(Locale::ZhCn, k), "{k:?}");
            assert!(!t(Locale::ZhCn, k).is_ascii(), "{k:?}");
        }
    }

    #[test]
    fn rate_limit_message_rounds_up_minutes() {
        let e = AppError::RateLimited { retry_after_secs: 61 };
        assert!(error_message(Locale::En, &e).contains("2 minute"));
        assert!(error_message(Locale::ZhCn, &e).contains("2 分钟"));
    }
}
