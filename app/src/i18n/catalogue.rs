//! Every UI string keyed by `K`, English and Chinese on the same row so a translator sees
//! both at once. The macro turns the table into the enum and one exhaustive `match`: a row
//! without both strings does not parse, and a key cannot exist without a row.

macro_rules! catalogue {
    ($($key:ident => $en:literal, $zh:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum K {
            $($key,)*
        }

        /// (English, Chinese) of a key; a plain `match`, nothing is built at runtime.
        pub(super) fn pair(k: K) -> (&'static str, &'static str) {
            match k {
                $(K::$key => ($en, $zh),)*
            }
        }
    };
}

catalogue! {
    // Shell, sign-in and shared words
    AppName => "Dealgate", "Dealgate";
    Tagline => "Stage gates, buying committees and forecasts for project sales", "面向项目型销售的阶段关卡、决策链与业绩预测";
    NavBoard => "Board", "销售漏斗";
    NavDeals => "Deals", "商机";
    NavAccounts => "Accounts", "客户";
    NavApprovals => "Approvals", "审批";
    NavDashboard => "Dashboard", "仪表盘";
    NavAdmin => "Admin", "系统管理";
    NavMenu => "Menu", "菜单";
    SignOut => "Sign out", "退出登录";
    Language => "Language", "语言";
    SignInTitle => "Sign in to Dealgate", "登录 Dealgate";
    SignInLead => "Your team's funnel, gates and forecast in one place.", "团队的销售漏斗、阶段关卡与业绩预测，尽在一处。";
    Email => "Email", "邮箱";
    Password => "Password", "密码";
    SignIn => "Sign in", "登录";
    SigningIn => "Signing in…", "正在登录…";
    DemoHint =>
        "Demo: rep@demo.local, manager@demo.local, exec@demo.local … password dealgate",
        "演示账号：rep@demo.local、manager@demo.local、exec@demo.local …… 密码 dealgate";
    Loading => "Loading…", "加载中…";
    Search => "Search", "搜索";
    Previous => "Previous", "上一页";
    Next => "Next", "下一页";
    NoTeam => "No team", "未分配团队";

    // Pages: dashboard, board, lists, accounts, approvals, admin, errors
    DashboardTitle => "Dashboard", "仪表盘";
    DashboardLead => "Where the pipeline you can see stands today.", "您可见的销售漏斗今日概况。";
    OpenPipeline => "Open pipeline", "在途商机金额";
    WeightedForecast => "Weighted forecast", "加权预测";
    OpenDeals => "Open deals", "在途商机数";
    WonTotal => "Won", "已成交";
    DashboardEmpty =>
        "No deals are visible to you yet. Deals you own, or your team owns, are counted here.",
        "您暂时看不到任何商机。您或您的团队负责的商机会在这里汇总。";
    BoardTitle => "Funnel board", "销售漏斗";
    BoardLead => "Every stage with its count, amount and weighted amount.", "每个阶段的商机数、金额与加权金额。";
    BoardEmpty => "This pipeline has no deals you can see yet.", "该漏斗中暂时没有您可见的商机。";
    StageCount => "deals", "个商机";
    DealsTitle => "Deals", "商机";
    DealsLead => "All deals you can see: open deals first, soonest close date first.", "您可见的全部商机：在途商机优先，按预计成交日期排序。";
    DealsEmpty => "No deals match. Clear the search, or ask your manager to add you to a deal team.", "没有符合条件的商机。请清除搜索条件，或请主管将您加入商机团队。";
    ColDeal => "Deal", "商机";
    ColAccount => "Account", "客户";
    ColStage => "Stage", "阶段";
    ColAmount => "Amount", "金额";
    ColWeighted => "Weighted", "加权金额";
    ColCloseDate => "Close date", "预计成交";
    ColOwner => "Owner", "负责人";
    ColTeam => "Team", "团队";
    ColIndustry => "Industry", "行业";
    ColCity => "City", "城市";
    ColHeadcount => "Headcount", "员工数";
    ColRevenue => "Revenue", "年营收";
    ColContacts => "Contacts", "联系人";
    ColOpenDeals => "Open deals", "在途商机";
    ColName => "Name", "姓名";
    ColRole => "Role", "角色";
    ColStatus => "Status", "状态";
    ColManager => "Manager", "主管";
    ColMembers => "Members", "成员数";
    AccountsTitle => "Accounts", "客户";
    AccountsLead => "Customers of your team, with their contacts and open deals.", "团队负责的客户及其联系人与在途商机。";
    AccountsEmpty => "No accounts match. Clear the search to see every account you can access.", "没有符合条件的客户。清除搜索条件即可查看您有权访问的全部客户。";
    ApprovalsTitle => "Approvals", "审批";
    ApprovalsLead => "Stage moves, quotes and contracts waiting for a decision.", "等待决策的阶段推进、报价与合同。";
    ApprovalsEmpty => "Nothing is waiting for you. Requests routed to you for approval will appear here.", "暂无待办。提交给您审批的申请会显示在这里。";
    AdminTitle => "Administration", "系统管理";
    AdminLead => "Users, roles and teams of your company.", "公司的用户、角色与团队。";
    AdminUsers => "Users", "用户";
    AdminTeams => "Teams", "团队";
    Active => "Active", "启用";
    Inactive => "Inactive", "停用";
    NotFoundTitle => "Page not found", "页面不存在";
    NotFoundText => "The page you asked for does not exist or is not visible to you.", "您访问的页面不存在，或您无权查看。";
    BackHome => "Back to the dashboard", "返回仪表盘";
    ErrorTitle => "Something went wrong", "出错了";
    Overdue => "Overdue", "已逾期";
    SkipToContent => "Skip to content", "跳到正文";

    // Board moves, filters and approvals
    MoveTo => "Move to…", "移动到…";
    DaysInStage => "d in stage", "天";
    KeyInfoShort => "Key info", "关键信息";
    PendingBadge => "Awaiting approval", "待审批";
    BlockedTitle => "This move is blocked", "无法推进到该阶段";
    BlockedLead => "Fill in what is missing, then try again:", "请先补全以下信息，然后重试：";
    ReasonLabel => "Reason", "原因";
    LostReasonLabel => "Lost reason", "失败原因";
    RetryWithReason => "Move with this reason", "填写原因并推进";
    SentForApproval => "Sent for approval to", "已提交审批给";
    ForbiddenMove => "This move is not allowed by the pipeline rules.", "按漏斗规则，不允许此推进。";
    ReadOnlyMove => "Your role can read deals but not move them.", "您的角色只能查看商机，不能推进。";
    Dismiss => "Dismiss", "关闭";
    LoadMore => "Load more", "加载更多";
    FilterOwner => "Owner", "负责人";
    FilterClose => "Closes", "预计成交";
    FilterAny => "Any", "全部";
    BucketM3 => "≤ 3 months", "3 个月内";
    BucketM6 => "3–6 months", "3–6 个月";
    BucketM9 => "6–9 months", "6–9 个月";
    BucketM12 => "9–12 months", "9–12 个月";
    BucketLater => "Later", "12 个月以后";
    MinAmount => "Min ¥", "最低金额 ¥";
    MaxAmount => "Max ¥", "最高金额 ¥";
    Apply => "Apply", "筛选";
    ClearFilters => "Clear", "清除";
    Pipeline => "Pipeline", "销售流程";
    Moved => "Moved.", "已推进。";
    ApprovalsPending => "Waiting for you", "待我审批";
    ApprovalsMine => "My requests and history", "我的申请与记录";
    Approve => "Approve", "批准";
    Reject => "Reject", "驳回";
    Comment => "Comment", "审批意见";
    RequestedBy => "Requested by", "申请人";
    StatusPending => "Pending", "待审批";
    StatusApproved => "Approved", "已批准";
    StatusRejected => "Rejected", "已驳回";
    ResultMoved => "deal moved", "商机已推进";
    ResultBlocked => "approved, but the deal no longer meets the gate", "已批准，但商机已不满足阶段要求";

    // Key information, deal page and history
    KeyInfoTitle => "Key information", "关键信息";
    KeyInfoLead => "What the stage gates check. Each section shows whether it is complete.", "阶段关卡所检查的信息；每一部分都标明是否完整。";
    Save => "Save", "保存";
    Saving => "Saving…", "正在保存…";
    Saved => "Saved.", "已保存。";
    Complete => "Complete", "完整";
    Incomplete => "Incomplete", "未完成";
    SecSchedule => "Schedule", "时间表";
    SecBudget => "Budget", "预算";
    SecRequirement => "Requirement", "需求";
    SecDecision => "Decision", "决策";
    SecCompetition => "Competition", "竞争";
    SecEvaluation => "Key evaluation items", "关键评估项";
    Yes => "Yes", "是";
    No => "No", "否";
    Unknown => "Unknown", "未知";
    BackToBoard => "Back to the board", "返回销售漏斗";
    OpenDeal => "Open deal", "打开商机";
    HistoryTitle => "History", "历史记录";
    HistoryEmpty => "No history yet.", "暂无历史记录。";
    FactsTitle => "Amount, close date and forecast", "金额、预计成交日期与预测";

    // Forecast
    NavForecast => "Forecast", "业绩预测";
    ForecastTitle => "Executive forecast", "业绩预测";
    ScopeAll => "all teams", "全部团队";
    ScopeTeams => "your teams", "我的团队";
    ScopeOwn => "your deals", "我的商机";
    Print => "Print", "打印";
    KpiForecastQuarter => "Forecast this quarter", "本季度预测";
    KpiWonQuarter => "Won this quarter", "本季度已赢单";
    KpiQuota => "Quota this quarter", "本季度指标";
    KpiCoverage => "Coverage", "覆盖率";
    KpiProgressWeek => "Progress this week", "本周销售进展";
    FunnelTitle => "Funnel against the ideal funnel", "实际漏斗与理想漏斗";
    IdealLabel => "ideal", "理想";
    IdealLead => "Ideal counts to win the rest of the quota", "完成剩余指标所需的理想商机数：";
    AvgDeal => "at an average won deal of", "平均赢单金额";
    CycleTitle => "Conversion and cycle (last 12 months)", "转化率与周期（近 12 个月）";
    HistoryPending => "Being computed from a year of history; it fills in by itself.", "正在根据一年的历史计算，完成后自动显示。";
    HistoryAsOf => "As of", "计算于";
    ForecastWinRate => "Win rate", "赢单率";
    AvgCycle => "Average sales cycle", "平均销售周期";
    Days => "days", "天";
    ColTarget => "Target", "目标";
    ColActual => "Actual", "实际";
    ColConversion => "Conversion", "转化率";
    ColAvgDays => "Avg. days", "平均天数";
    ColStuck => "Stuck", "停滞";
    ByCloseTitle => "By close time", "按预计成交时间";
    ByCategoryTitle => "By forecast category", "按预测分类";
    ProgressTitle => "Sales progress", "销售进展";
    ProgressStart => "Start", "期初";
    ProgressEnd => "Now", "当前";
    ContribNew => "New", "新增";
    ContribUp => "Moved up", "推进";
    ContribDown => "Moved back", "回退";
    ContribAmount => "Amount", "金额变化";
    ContribWon => "Won", "赢单";
    ContribLost => "Lost", "丢单";
    ContribSlipped => "Slipped", "延期";
    ContribPulledIn => "Pulled in", "提前";
    ContribOther => "Other", "其他";
    TrendTitle => "Forecast over the last 13 weeks", "近 13 周预测走势";
    TrendLead =>
        "Each point: the weighted forecast and the amount won of that week's quarter, as the week ended.",
        "每个点：该周所在季度的加权预测与已赢单金额（截至该周末）。";
    TrendForecast => "Weighted forecast", "加权预测";
    TrendWon => "Won", "已赢单";
    RepsTitle => "Reps: quota, attainment and coverage", "销售代表：指标、完成率与覆盖率";
    RepsAll => "Show all reps", "显示全部销售代表";
    RepsFewer => "Show the first 25", "只显示前 25 位";
    ExportCsv => "Export CSV", "导出 CSV";
    ColRep => "Rep", "销售代表";
    ColQuota => "Quota", "指标";
    ColWon => "Won", "已赢单";
    ColAttainment => "Attainment", "完成率";
    ColOpenQuarter => "Open this quarter", "本季度在途";
    ColCoverage => "Coverage", "覆盖率";
    ColPipeline => "All open (weighted)", "全部在途（加权）";
    QuotaMet => "met", "已完成";
    UnfunneledTitle => "Signed but never in the funnel", "签约但未经过漏斗";
    UnfunneledLead => "Won deals that were never, or for under 14 days, in an open stage.", "从未进入或在漏斗中不足 14 天即赢单的商机。";
    UnfunneledAll => "The latest wins are shown. All of them:", "此处显示最近的赢单。全部：";
    RampTitle => "New-rep ramp", "新销售成长路线";
    RampLead => "Reps in their first year against the success roadmap.", "入职第一年的销售对照成功路线图。";
    NothingHere => "Nothing to show.", "暂无数据。";
    DrillTitle => "Deals behind the figure", "数字背后的商机";
    DrillCapped => "The first deals by close date; the CSV export has them all:", "按预计成交日期显示前若干条；导出 CSV 可得全部：";
    DrillBack => "← Back to the forecast", "← 返回业绩预测";
    ColDelta => "Contribution", "贡献";

    // Forecast category, new deal, live updates
    Category => "Forecast category", "预测分类";
    CategoryDefault => "Default", "默认";
    CategoryAdjusted => "Manager's adjustment", "经理调整";
    CategoryNoAdjustment => "No adjustment (owner's choice counts)", "不调整（以负责人选择为准）";
    CategoryAdjustedNote => "Adjusted by the manager to", "经理已调整为";
    ReadOnlyDeal => "Read only: changes are for the deal's owner, its deal team and their manager.", "只读：修改由商机负责人、商机团队及其经理进行。";
    CategoryManager => "Manager's adjustment", "经理调整";
    Winner => "Winner (who won it)", "赢单方（谁拿下了）";
    LostReason => "Lost reason", "丢单原因";
    NewDeal => "New deal", "新建商机";
    NewDealLead => "A new deal starts in the first stage; the gate decides every move after that.", "新商机从第一阶段开始，之后每一步推进由阶段门控决定。";
    DealName => "Deal name", "商机名称";
    Account => "Customer account", "客户";
    ChooseAccount => "Choose an account…", "选择客户…";
    PipelineLabel => "Pipeline", "销售流程";
    Owner => "Owner", "负责人";
    OwnerMe => "Me", "我自己";
    Create => "Create deal", "创建商机";
    Cancel => "Cancel", "取消";
    AlsoViewing => "Also viewing", "同时在看";
    ShowLatest => "Show the latest", "显示最新内容";
    ChangedByOther => "Someone else just changed this deal.", "其他人刚刚修改了此商机。";

    // Pipeline and checklist administration
    NavPipelines => "Pipelines", "销售流程";
    PipelinesTitle => "Pipelines", "销售流程设置";
    PipelinesLead =>
        "Names, stage order, win rates, stuck limits, playbooks, entry requirements and move rules. Every change applies to all open deals at once.",
        "名称、阶段顺序、赢率、停滞提醒、销售指引、准入条件与推进规则。每项修改立即作用于所有在途商机。";
    AdminPipelinesLink => "Edit pipelines and stage gates", "编辑销售流程与阶段关卡";
    AdminChecklistsLink => "Edit checklist templates", "编辑清单模板";
    ChecklistAdminTitle => "Checklist templates", "清单模板";
    ChecklistAdminLead =>
        "The lines a checklist gets when it is attached to a deal. Checklists already on deals keep their lines.",
        "清单挂到商机时复制这些条目；已挂在商机上的清单保持原样。";
    TemplateNameEn => "Name (English)", "名称（英文）";
    TemplateNameZh => "Name (Chinese)", "名称（中文）";
    TemplateLineEn => "Line (English)", "条目（英文）";
    TemplateLineZh => "Line (Chinese)", "条目（中文）";
    TemplateAddLine => "+ Add line", "+ 添加条目";
    TemplateSaved => "Saved. Checklists attached from now on use these lines.", "已保存。之后挂到商机的清单将使用这些条目。";
    TemplateRequired => "Required in both languages", "中英文均为必填";
    TemplateLines => "Lines", "条目";
    BackToAdmin => "Back to administration", "返回系统管理";
    PipelineNameTitle => "Pipeline name", "流程名称";
    NameEn => "Name (English)", "名称（英文）";
    NameZh => "Name (Chinese)", "名称（中文）";
    StagesTitle => "Stages", "阶段";
    StagesLead =>
        "Drag a row by its handle, or use ▲ ▼, to change the order; Won and Lost always come last. Changing a win rate re-weights every open deal of that stage at once.",
        "拖动行首手柄或使用 ▲ ▼ 调整顺序；赢单与输单始终排在最后。修改赢率会立即重新计算该阶段所有在途商机的加权金额。";
    WinRate => "Win rate %", "赢率 %";
    StuckDaysLabel => "Stuck after (days)", "停滞提醒（天）";
    KindOpen => "Open", "进行中";
    KindWon => "Won", "赢单";
    KindLost => "Lost", "输单";
    MoveUp => "Move up", "上移";
    MoveDown => "Move down", "下移";
    DragHandle => "Drag to reorder", "拖动以调整顺序";
    Playbook => "Playbook", "销售指引";
    PlaybookEn => "Playbook (English)", "销售指引（英文）";
    PlaybookZh => "Playbook (Chinese)", "销售指引（中文）";
    Requirements => "Entry requirements", "准入条件";
    ReqGroupKeyInfo => "Key information", "关键信息";
    ReqGroupContactRole => "Buying committee", "决策链角色";
    ReqGroupMap => "Committee map", "决策链图";
    ReqGroupChecklist => "Checklists", "检查清单";
    ReqGroupQuote => "Quotes", "报价";
    ReqRolePrefix => "Committee has: ", "决策链中有：";
    ReqWeights100 => "Influence weights sum to 100 %", "影响力权重合计为 100%";
    ReqDmContacted => "Every decision maker contacted within 30 days", "所有决策者 30 天内均有联系";
    QuotesTitle => "Quotes", "报价单";
    QuoteNew => "New quote", "新建报价";
    QuotesEmpty => "No quote yet. A formal quote comes from the system, numbered and approved.", "还没有报价。正式报价由系统生成、编号并经审批。";
    QuoteNumber => "Quote no.", "报价单号";
    QuoteStatus => "Status", "状态";
    QuoteTotal => "Total (tax incl.)", "含税合计";
    QuoteDiscount => "Discount", "折扣";
    QuoteMargin => "Margin", "毛利率";
    QuoteValidUntil => "Valid until", "有效期至";
    QuoteProduct => "Product", "产品";
    QuoteDescription => "Description", "描述";
    QuoteQty => "Qty", "数量";
    QuoteUnit => "Unit", "单位";
    QuoteUnitPrice => "Unit price", "单价";
    QuoteLineDiscount => "Disc. %", "折扣 %";
    QuoteTax => "Tax", "税额";
    QuoteNet => "Net", "不含税金额";
    QuoteLineTotal => "Amount", "含税金额";
    QuoteFreeText => "— free text —", "— 自定义行 —";
    QuoteAddLine => "Add line", "添加行";
    Remove => "Remove", "删除";
    QuoteListTotal => "List price total", "目录价合计";
    QuoteLineDiscounts => "Line discounts", "行折扣";
    QuoteHeaderDiscount => "Overall discount", "整单折扣";
    QuoteLinesNet => "Subtotal", "小计";
    QuotePrint => "Print / PDF", "打印 / PDF";
    QuotePrintButton => "Print / Save as PDF", "打印 / 另存为 PDF";
    QuotePrintTitle => "Quotation", "报价单";
    QuoteBack => "Back to the quote", "返回报价";
    QuoteSubmit => "Submit for approval", "提交审批";
    QuoteSend => "Mark as sent", "标记为已发送";
    QuoteAccept => "Accepted — set deal amount", "客户接受（更新商机金额）";
    QuoteAcceptKeep => "Accepted — keep amount", "客户接受（保留金额）";
    QuoteDecline => "Declined", "客户拒绝";
    QuoteRevise => "Revise", "修订";
    QuoteRevisions => "Revisions", "修订版本";
    QuoteApproverManager => "Approval by the sales manager", "由销售经理审批";
    QuoteApproverGm => "Approval by the general manager", "由总经理审批";
    QuoteContact => "Customer contact", "客户联系人";
    QuotePaymentTerms => "Payment terms", "付款条件";
    QuoteDeliveryTerms => "Delivery terms", "交付条件";
    QuoteNotes => "Notes", "备注";
    QuoteIssued => "Date", "日期";
    QuoteCustomer => "Customer", "客户";
    QuoteProject => "Project", "项目";
    QuoteOurContact => "Your contact", "我方联系人";
    QuotePrintValidity => "Prices in CNY; this quotation is valid until", "以上价格以人民币计；本报价有效期至";
    QuoteSignSupplier => "For the supplier", "供方（盖章）";
    QuoteSignCustomer => "For the customer", "需方（盖章）";
    QuoteSignBy => "Signature:", "签字：";
    QuoteSignDate => "Date:", "日期：";
    CompanyName => "Dealgate Demo Software Co., Ltd.", "德盖特演示软件有限公司";
    CompanyAddress => "88 Zhangjiang Road, Pudong, Shanghai · +86 21 5555 0100", "上海市浦东新区张江路 88 号 · 021-5555 0100";
    PriceListTitle => "Price list", "价格表";
    PriceListLead => "Products and services quotes are built from. A deactivated product stays on the quotes that have it.", "报价所用的产品与服务。停用的产品仍保留在已有报价中。";
    ProductCode => "Code", "编码";
    ProductName => "Name", "名称";
    ProductNameEn => "Name (English)", "名称（英文）";
    ProductNameZh => "Name (Chinese)", "名称（中文）";
    ProductKind => "Kind", "类别";
    ProductUnitEn => "Unit (English)", "单位（英文）";
    ProductUnitZh => "Unit (Chinese)", "单位（中文）";
    ProductListPrice => "List price (¥)", "目录价（元）";
    ProductTaxRate => "Tax rate %", "税率 %";
    ProductCost => "Standard cost (¥)", "标准成本（元）";
    ProductNew => "New product", "新增产品";
    ProductEdit => "Edit product", "编辑产品";
    Edit => "Edit", "编辑";
    Confirm => "Confirm", "确认";
    TabObjections => "Objections", "异议";
    OverdueObjections => "Objections past their due date", "已过期限的异议";
    ObjectionsTitle => "Objection log", "异议处理记录";
    ObjectionsLead => "Each doubt the customer raises, what they ask for, our answer, who owns it and until when. Prepare the answers in advance.", "客户提出的每一项疑虑、诉求、我方应对策略、负责人与期限。提前准备答案。";
    ObjectionsEmpty => "No objection logged yet.", "尚未登记异议。";
    ObjectionsOpen => "Open objections", "未解决的异议";
    ObjectionNew => "Log an objection", "登记异议";
    ObjectionRaisedOn => "Raised on", "提出日期";
    ObjectionCategory => "Category", "类别";
    ObjectionRaisedBy => "Raised by (committee map)", "提出人（决策链）";
    ObjectionOwner => "Owner (deal team)", "负责人（商机团队）";
    ObjectionOwnerDefault => "— the deal's owner —", "— 商机负责人 —";
    ObjectionDue => "Due", "期限";
    ObjectionSaid => "What the customer said", "客户原话";
    ObjectionDemand => "What they ask for", "客户诉求";
    ObjectionStrategy => "Our response", "应对策略";
    ObjectionFeedback => "Customer feedback", "客户反馈";
    ObjectionResolvedOn => "Resolved on", "解决日期";
    ObjectionAnswer => "Answered", "已答复";
    ObjectionResolve => "Resolved", "已解决";
    ObjectionDrop => "Drop", "撤销";
    ObjectionReopen => "Reopen", "重新打开";
    ObjectionFeedbackAsk => "What did the customer say to our answer?", "客户对我方答复的反馈：";
    ObjectionDropAsk => "Why is it dropped?", "撤销原因：";
    ObjectionReportTitle => "Objections by category", "异议分类统计";
    ObjectionReportLead => "Every objection on the deals you see: which ones cost us most (lost deals), which are still in the way (open deals), and how long an answer takes.", "您可见商机上的全部异议：哪些让我们丢单最多、哪些仍在阻碍在途商机、答复平均用时。";
    ColRaised => "Raised", "提出";
    ColUnresolved => "Unresolved", "未解决";
    ColResolved => "Resolved", "已解决";
    ColDropped => "Dropped", "已撤销";
    ColDeals => "Deals", "商机数";
    ColLostDeals => "Lost deals", "丢单数";
    ColLostAmount => "Lost amount", "丢单金额";
    ColAtStake => "At stake (open deals)", "在途金额";
    ColDaysToResolve => "Days to resolve", "平均解决天数";
    PolicyTitle => "Who approves a quote", "报价审批规则";
    PolicyManagerMax => "Sales manager approves up to this discount (%)", "销售经理可审批的最大折扣（%）";
    PolicyMarginFloor => "Margin floor for the sales manager (%)", "销售经理审批的最低毛利率（%）";
    PolicyDefaults => "Defaults: VAT on goods / services, quote validity", "默认值：货物 / 服务增值税率，报价有效期";
    DiffAdded => "Added", "新增";
    DiffRemoved => "Removed", "删除";
    DiffChanged => "Changed", "修改";
    DiffSame => "Unchanged", "未变";
    QuoteCompare => "Compare", "对比";
    QuoteCompareHide => "Hide comparison", "收起对比";
    TabOverview => "Overview", "概览";
    TabCommittee => "Buying committee", "决策链";
    TabActivities => "Activities", "活动";
    TabChecklists => "Checklists", "售前清单";
    TabQuotes => "Quotes", "报价";
    PriceListCsv => "Import and export", "导入与导出";
    PriceListCsvLead => "A CSV file in the export's columns (code, name_en, name_zh, kind, unit_en, unit_zh, list_price, tax_rate, cost, active). Products are matched by code; you see what changes before anything is saved.", "CSV 文件的列与导出文件相同（code、name_en、name_zh、kind、unit_en、unit_zh、list_price、tax_rate、cost、active）。按编码匹配产品；保存前先预览所有改动。";
    CsvChoose => "Choose a CSV file…", "选择 CSV 文件…";
    CsvApply => "Apply the import", "确认导入";
    CsvCreate => "New", "新增";
    CsvUpdate => "Changed", "修改";
    CsvUnchanged => "Unchanged", "不变";
    CsvError => "Error", "错误";
    CsvFixFirst => "Nothing was saved: correct the rows marked Error in the file and choose it again.", "未保存任何内容：请在文件中修正标记为“错误”的行后重新选择。";
    CsvNothing => "The file matches the price list; nothing to change.", "文件与价格表一致，无需修改。";
    CsvApplied => "Imported", "已导入";
    ColLine => "Line", "行";
    ReqQuoteApproved => "An approved quote", "已批准的报价";
    ReqQuoteSent => "A quote sent to the customer", "已发送给客户的报价";
    ReqNoOpenObjection => "No open objection", "没有未解决的异议";
    ReqChecklistPrefix => "Checklist complete: ", "清单已完成：";
    ReqLostNone => "Lost is never gated, so it takes no requirements.", "输单阶段不设关卡，因此没有准入条件。";
    PoliciesTitle => "Move rules", "阶段推进规则";
    PoliciesLead =>
        "Rows: from; columns: to. By default one step forward is allowed, skipping a stage needs approval, moving back needs a reason, and leaving Won or Lost needs approval. Highlighted cells override the default.",
        "行为起始阶段，列为目标阶段。默认：前进一步允许，跳级需审批，回退需填写原因，离开赢单或输单需审批。高亮单元格为自定义规则。";
    PolicyAllow => "Allow", "允许";
    PolicyForbid => "Forbid", "禁止";
    PolicyApproval => "Approval", "需审批";
    PolicyDefaultMark => " (default)", "（默认）";
    OverrideMark => "Override", "自定义";
    FromTo => "From \\ to", "从 \\ 到";
    Unsaved => "Unsaved changes", "有未保存的修改";

    // Refused editor values (`domain::pipeline_edit::Rule`)
    RuleEmpty => "Required.", "必填。";
    RuleNameTooLong => "At most 60 characters.", "最多 60 个字符。";
    RulePlaybookTooLong => "At most 2,000 characters.", "最多 2000 个字符。";
    RuleNotANumber => "Enter a whole number.", "请输入整数。";
    RuleOpenRate => "An open stage's win rate is 1 to 99 %.", "进行中阶段的赢率须为 1–99%。";
    RuleWonRate => "The won stage always counts 100 %.", "赢单阶段的赢率固定为 100%。";
    RuleLostRate => "The lost stage always counts 0 %.", "输单阶段的赢率固定为 0%。";
    RuleStuckDays => "0 to 365 days (0: never flagged).", "0–365 天（0 表示不提醒）。";
    RuleNotAPermutation => "The new order must list every open stage exactly once.", "新顺序必须恰好包含每个进行中阶段一次。";
    RuleUnknownRequirement => "Unknown requirement.", "未知的准入条件。";
    RuleLostHasNoRequirements => "Lost is never gated, so it takes no requirements.", "输单阶段不设关卡，因此不能设置准入条件。";
    RuleSameStage => "A stage cannot move to itself.", "阶段不能推进到自身。";

    // Decision map
    MapTitle => "Buying committee", "决策链";
    MapLead => "Who decides, who influences, and where we stand with each of them.", "谁拍板、谁有影响力，以及我们与每个人的关系。";
    MapEmpty =>
        "No one on the map yet. Add the account's contacts below, starting with the decision maker.",
        "决策链上还没有人。请从下方添加客户联系人，先从决策者开始。";
    MapReportsTo => "Reports to", "汇报给";
    MapTopLevel => "— Top level —", "— 最高层 —";
    MapRole => "Role", "角色";
    MapNoRole => "No role yet", "未设角色";
    MapWeight => "Influence %", "影响力 %";
    MapAttitude => "Attitude", "态度";
    MapRelationship => "Relationship (1–5)", "关系强度（1–5）";
    MapLastContact => "Last contact", "最近联系";
    MapNever => "Never contacted", "从未联系";
    MapAddContact => "Add a contact from the account", "从客户联系人中添加";
    MapChooseContact => "Choose a contact…", "选择联系人…";
    MapAdd => "Add to map", "加入决策链";
    MapCreateContact => "New contact", "新建联系人";
    MapPersonName => "Name", "姓名";
    MapPersonTitle => "Job title", "职位";
    MapDepartment => "Department", "部门";
    MapRemove => "Remove from map", "移出决策链";
    MapLegend => "Legend", "图例";
    MapLegendDrag =>
        "Drag a card onto another to change who they report to, or use \"Reports to\" on the card.",
        "将卡片拖到另一张卡片上即可修改汇报关系，也可使用卡片上的“汇报给”。";
    MapLegendStale => "Red date: not contacted for 30 days or more", "红色日期：30 天或以上未联系";
    MapLegendDots => "Relationship strength, 1 (cold) to 5 (close)", "关系强度，1（冷淡）到 5（密切）";
    MapEditTitle => "Edit", "编辑";
    MapWarningsTitle => "Needs attention", "需要关注";
    MapDropTop => "Drop here to make top level", "拖到此处设为最高层";
    MapUpdated => "Map updated", "决策链已更新";

    // Checklists, activities and tasks
    ChecklistsTitle => "Checklists", "检查清单";
    ChecklistsEmpty =>
        "No checklist on this deal yet. Attach one for the next demo, proposal or exchange meeting.",
        "该商机还没有检查清单。请为下一次演示、方案或交流会添加一份。";
    ChecklistAttach => "Attach", "添加";
    ChecklistChooseTemplate => "Choose a checklist…", "选择检查清单…";
    ChecklistOwner => "Owner", "负责人";
    ChecklistNoOwner => "Unassigned", "未分配";
    ChecklistDue => "Due", "截止日期";
    ChecklistNote => "Note", "备注";
    ChecklistLink => "Link", "链接";
    ChecklistNoteLink => "Note & link", "备注与链接";
    ChecklistDoneBy => "Done by", "完成人";
    ChecklistOverdueItems => "overdue", "项逾期";
    NavMyChecklists => "My checklists", "我的清单";
    MyChecklistsTitle => "My checklists", "我的检查清单";
    MyChecklistsLead => "Checklists on the deals you work on, unfinished first.", "您参与的商机上的检查清单，未完成的在前。";
    MyChecklistsEmpty => "No checklists yet. Open a deal and attach one.", "暂无检查清单。请打开一个商机并添加。";
    ActivitiesTitle => "Activities", "活动记录";
    ActivitiesEmpty =>
        "No activity logged yet. Log the last call, visit or demo so the team knows where things stand.",
        "暂无活动记录。请记录最近一次电话、拜访或演示，让团队了解进展。";
    LogActivity => "Log activity", "记录活动";
    ActKind => "Kind", "类型";
    ActDate => "Date", "日期";
    ActTime => "Time (optional)", "时间（可选）";
    ActChannel => "Channel", "方式";
    ActPeople => "People met", "接触人员";
    ActSummary => "What happened / customer feedback", "活动内容 / 客户反馈";
    ActSatisfaction => "Satisfaction (1–5)", "满意度（1–5）";
    ActNewNeeds => "New needs", "新需求";
    ActNextAction => "Next action", "后续行动";
    ActNextOwner => "Owner", "负责人";
    ActNextDue => "Due", "截止日期";
    ActLate => "late", "补录";
    ActLateHint => "Recorded more than a day after it happened", "发生一天后才录入";
    ActLogged => "Activity logged", "活动已记录";
    ActChooseOwner => "Choose…", "请选择…";
    ActNone => "—", "—";
    NavMyTasks => "My tasks", "我的任务";
    MyTasksTitle => "My tasks", "我的任务";
    MyTasksLead => "Follow-ups you own, from the activities logged on your deals.", "您负责的后续行动，来自商机上记录的活动。";
    MyTasksEmpty => "No open follow-ups. Log an activity with a next action to plan one.", "没有未完成的后续行动。记录活动时填写后续行动即可创建。";
    TaskOverdue => "Overdue", "已逾期";
    TaskToday => "Due today", "今天到期";
    TaskUpcoming => "Upcoming", "即将到期";
    TaskUnscheduled => "No date", "无日期";
    TaskComplete => "Done", "完成";

    // Comments, notifications, feed and deal team
    CommentsTitle => "Comments", "评论";
    CommentsEmpty => "No comments yet. Ask a question or type @ and a colleague's name to bring them in.", "暂无评论。可以提问，或输入 @ 加同事姓名来通知对方。";
    CommentPlaceholder => "Write a comment… use @name to notify a colleague", "写评论… 使用 @姓名 通知同事";
    CommentPost => "Post", "发布";
    CommentNotified => "Notified", "已通知";
    NotificationsTitle => "Notifications", "通知";
    NotificationsEmpty => "You're all caught up.", "暂无新通知。";
    MarkAllRead => "Mark all read", "全部标为已读";
    FeedTitle => "Everything on this deal", "商机动态";
    FeedAll => "All", "全部";
    FeedEmpty => "Nothing of this kind yet.", "暂无此类动态。";
    GroupActivity => "Activities", "活动";
    GroupMove => "Stage moves", "阶段变更";
    GroupApproval => "Approvals", "审批";
    GroupKeyInfo => "Key information", "关键信息";
    GroupChange => "Amount & date", "金额与日期";
    GroupChecklist => "Checklists", "检查清单";
    GroupComment => "Comments", "评论";
    MembersTitle => "Deal team", "商机团队";
    MembersEmpty => "Only the owner works on this deal.", "目前只有负责人参与此商机。";
    MemberRemove => "Remove", "移除";
    MemberOwner => "Owner", "负责人";
    MemberPresales => "Presales", "售前";
    MemberPm => "Project manager", "项目经理";
    MemberOther => "Other", "其他";
    ActDateInvalid => "Enter a date, and a time as HH:MM if you give one.", "请输入日期；如填写时间，格式为 时:分。";
}
