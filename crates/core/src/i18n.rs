//! Every user-facing text, in Simplified Chinese first and English second.
//!
//! Screens, error messages, the public page and placards all take their words from [`Msg`]; no other
//! module writes a user-facing literal. Placeholders `{0}`, `{1}` are filled by [`Msg::fill`].

use serde::{Deserialize, Serialize};

use crate::card::{
    DischargeMode, EnforcementKind, ManagementClass, Medium, MonitoringMode, OnlineStatus, OutletKind, PermitAlert, PermitStatus,
};
use crate::checklist::{Answer, ChecklistItem};

/// Display language. Chinese is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Returns the other language, for the switch button.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// BCP 47 tag for the `lang` attribute of HTML.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

macro_rules! messages {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        /// A user-facing text; see the module doc.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Msg {
            $($name),*
        }

        impl Msg {
            /// Every message, for tests that check each has both languages.
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Msg::$name, Lang::Zh) => $zh,
                        (Msg::$name, Lang::En) => $en,
                    )*
                }
            }
        }
    };
}

messages! {
    AppTitle => "排污口扫码巡检", "Outlet Inspector";
    SwitchLanguage => "English", "中文";
    NavScan => "扫码", "Scan";
    NavOutbox => "笔录发送", "Outbox";
    Back => "返回", "Back";
    NetworkOnline => "网络：在线", "Network: online";
    NetworkOffline => "网络：离线", "Network: offline";

    ScanTitle => "扫描排放口标志牌", "Scan an outlet placard";
    StartCamera => "打开摄像头扫码", "Scan with the camera";
    StopCamera => "关闭摄像头", "Stop the camera";
    PickPhoto => "拍照或选择照片", "Take or pick a photo";
    ManualEntryLabel => "或手工输入：许可证编号-排放口编号", "Or type: permit number-outlet code";
    ManualEntryButton => "查询", "Look up";
    CameraStarting => "正在打开摄像头，请对准标志牌上的二维码…", "Opening the camera; point it at the placard's QR code…";
    CameraUnavailable => "无法打开摄像头（{0}）。请改用拍照或手工输入。", "The camera could not be opened ({0}). Take a photo or type the code instead.";
    Decoding => "正在识别二维码…", "Reading the QR code…";
    NoCodeFound => "照片中没有找到二维码。请靠近标志牌、对准二维码后重拍。", "No QR code was found in the photo. Move closer, centre the code and try again.";
    UnreadableImage => "无法读取这张图片（{0}）。请选择 JPEG 或 PNG 格式的照片。", "This image could not be read ({0}). Choose a JPEG or PNG photo.";
    ForeignCode => "这不是排污口标志牌的二维码。二维码内容：{0}", "This is not an outlet placard's QR code. It contains: {0}";
    ForeignCodeBeside => "画面中另有一个二维码，不是排污口标志牌。二维码内容：{0}", "Another QR code in view is not an outlet placard. It contains: {0}";
    MoveCloser => "请靠近一些", "Move closer";
    HoldStill => "请保持稳定", "Hold still";
    TorchOn => "打开手电筒", "Turn the torch on";
    TorchOff => "关闭手电筒", "Turn the torch off";
    ForgedPlacard => "警告：标志牌签名无效，二维码可能被篡改或伪造（排放口 {0}）。请核实并记录。", "Warning: the placard's signature is invalid, so its QR code may have been altered or forged (outlet {0}). Check and record it.";
    UnknownKeyPlacard => "无法核验标志牌签名：本机没有密钥 {0}。请联网后重新扫码。", "The placard's signature cannot be checked because this device lacks key {0}. Go online and scan again.";
    PlacardUnverifiable => "无法核验标志牌签名，请联网后重新扫码。", "The placard's signature cannot be checked yet; go online and scan again.";
    RetiredKeyPlacard => "警告：该标志牌的签名密钥已停用，标志牌须更换（排放口 {0}）。", "Warning: this placard was signed with a retired key and must be replaced (outlet {0}).";
    ReplacedPlacard => "警告：该标志牌（编号 {0}）已作废，现行标志牌编号为 {1}。请核实现场标志牌。", "Warning: this placard (no. {0}) was replaced; the valid placard is no. {1}. Check the placard on site.";
    PublicRetired => "此标志牌的签名已停用，将予更换，信息仍以下列内容为准。", "This placard's signature was retired and the placard will be replaced; the information below is current.";
    PublicReplaced => "此标志牌已被更换，信息以现场新标志牌为准。", "This placard has been replaced; the new placard on site is authoritative.";
    GenuinePlacard => "标志牌签名有效", "Genuine placard";
    UnverifiedEntry => "手工输入，未核验标志牌", "Typed by hand; no placard verified";
    OutletRemovedOffline => "排放口 {0} 已从离线包中移除：{1}。请联网查看最新信息。", "Outlet {0} was removed from the offline package: {1}. Go online for the latest information.";
    RemovedPermitCancelled => "许可证已注销", "the permit was cancelled";
    RemovedPermitRevoked => "许可证已撤销", "the permit was revoked";
    RemovedOutletRemoved => "新版许可证已不再列出该排放口", "the permit's new version no longer lists the outlet";
    FieldPlacardRadius => "标志牌位置核对半径（米）", "Placard position check radius (m)";
    RadiusSaved => "位置核对半径已设为 {0} 米。", "Position check radius set to {0} m.";
    InvalidRadius => "半径“{0}”无效：请输入大于 0 的米数，例如 300。", "\"{0}\" is not a valid radius: enter metres above 0, e.g. 300.";
    NavPackage => "离线包", "Offline";
    PackageTitle => "辖区离线包", "Jurisdiction offline package";
    PackageHint => "出发前下载辖区内所有排放口信息，无网络时也能扫码查看。之后只下载变化部分。", "Download every outlet of your jurisdiction before going out, so scans work without a network. Later updates fetch only what changed.";
    FieldRegion => "辖区代码（6 位行政区划代码）", "Region (6-digit division code)";
    PackageDownload => "下载 / 更新", "Download / update";
    PackageDownloading => "正在下载…", "Downloading…";
    PackageStateInterrupted => "下载中断，进度已保存，将从断点继续", "Interrupted; progress saved, resumes where it stopped";
    PackageStateComplete => "离线包完整", "Package complete";
    PackageStateIncomplete => "离线包未下载完", "Package not fully downloaded";
    PackageCounts => "本次已下载 {0} / {1} 条", "{0} of {1} changes downloaded";
    PackageEta => "预计还需 {0}", "About {0} left";
    PackageCachedCards => "辖区 {0}：本机共 {1} 个排放口", "Region {0}: {1} outlets on this device";
    PackageUpdatedAt => "最后更新：{0}", "Last updated: {0}";
    PackageInterrupted => "离线包下载中断（已保存 {0}/{1} 条），恢复网络后将从断点继续。", "Offline package download interrupted ({0} of {1} saved); it resumes where it stopped once the network is back.";
    PackageDone => "离线包已更新：本次 {0} 条变更，本机共 {1} 个排放口。", "Offline package up to date: {0} changes this time, {1} outlets on this device.";
    ApiInvalidRegion => "辖区代码 {0} 不正确：应为 6 位行政区划代码，例如市级 350100、省级 350000。", "{0} is not a valid region: write a 6-digit administrative division code, e.g. 350100 for a city or 350000 for a province.";
    InvalidOutletId => "编号 {0} 格式不正确：应为 22 位许可证编号加排放口编号，例如 91350100M000100Y43001P-DA001。", "{0} is not a valid outlet id: write the 22-character permit number, '-', and the outlet code, e.g. 91350100M000100Y43001P-DA001.";
    UnknownOutlet => "未找到排放口 {0}：本机缓存和服务器中都没有。请核对编号。", "Outlet {0} was not found in the local cache or on the server. Check the code.";
    OutletNotCachedOffline => "本机没有排放口 {0} 的缓存，且当前无法连接服务器。请联网后重试。", "Outlet {0} is not cached on this device and the server cannot be reached. Go online and try again.";

    CardFromServer => "刚刚从服务器更新", "Just updated from the server";
    CardFromCache => "本机缓存，{0}前更新", "From the local cache, updated {0} ago";
    CardOffline => "离线：显示{0}前缓存的信息", "Offline: showing information cached {0} ago";
    AgeMinutes => "{0}分钟", "{0} min";
    AgeHours => "{0}小时", "{0} h";
    AgeDays => "{0}天", "{0} days";

    SectionUnit => "排污单位", "Discharging unit";
    SectionPermit => "排污许可证", "Discharge permit";
    SectionOutlet => "排放口", "Outlet";
    SectionLimits => "许可排放限值", "Permitted limits";
    SectionMonitoring => "自行监测要求", "Self-monitoring duties";
    SectionOnline => "在线监测", "Online monitoring";
    SectionEnforcement => "执法记录", "Enforcement history";
    FieldUscc => "统一社会信用代码", "Unified social credit code";
    FieldAddress => "地址", "Address";
    FieldPermitNo => "许可证编号", "Permit number";
    FieldValidity => "有效期", "Valid";
    FieldStatus => "状态", "Status";
    FieldAuthority => "发证机关", "Issued by";
    FieldOutletCode => "排放口编号", "Outlet code";
    FieldOutletName => "名称", "Name";
    FieldOutletKind => "类型", "Kind";
    FieldStackHeight => "排气筒高度", "Stack height";
    FieldReceivingWater => "排放去向", "Discharges to";
    FieldPollutant => "污染物", "Pollutant";
    FieldConcentration => "许可排放浓度", "Permitted concentration";
    FieldRate => "许可排放速率", "Permitted rate";
    FieldAnnual => "许可年排放量（第1年）", "Permitted annual amount (year 1)";
    FieldStandard => "执行标准", "Standard";
    FieldMode => "监测方式", "Mode";
    FieldNetworked => "联网", "Networked";
    NotNetworked => "未联网", "Not networked";
    FieldFrequency => "监测频次", "Frequency";
    FieldMethod => "监测方法", "Method";
    FieldMonitor => "监测设备", "Monitor";
    FieldLastSeen => "最后数据时间", "Last data";
    FieldLatest => "最新数据", "Latest readings";
    FieldDate => "日期", "Date";
    FieldKind => "类别", "Kind";
    FieldResult => "结果", "Result";
    FieldDecisionNo => "决定书文号", "Decision no.";
    FieldFine => "罚款", "Fine";
    FineYuan => "{0}元", "{0} yuan";
    Yes => "是", "Yes";
    No => "否", "No";
    None => "无", "None";
    NoRecords => "暂无记录", "No records";

    FieldIssueDate => "发证日期", "Issue date";
    FieldPermitVersion => "版本", "Version";
    PermitVersionN => "第{0}版", "version {0}";
    FieldManagementClass => "管理类别", "Management class";
    ClassKey => "重点管理", "Key management";
    ClassSimplified => "简化管理", "Simplified management";
    FieldStackDiameter => "排气筒内径", "Stack inner diameter";
    FieldDischargeMode => "排放方式", "Discharge mode";
    DischargeDirect => "直接排放", "Direct discharge";
    DischargeIndirect => "间接排放", "Indirect discharge";
    FieldCoordinates => "经纬度", "Coordinates";
    CoordinatesLatLon => "纬度 {0}，经度 {1}", "lat {0}, lon {1}";
    FieldHourly => "小时均值", "Hourly";
    FieldDaily => "日均值", "Daily";
    FieldCommitted => "承诺值", "Committed";
    FieldAnnualAmounts => "许可年排放量", "Permitted annual amounts";
    AnnualAmountsOneYear => "{0} t/a（第1年）", "{0} t/a (year 1)";
    AnnualAmountsYears => "{0} t/a（第1–{1}年）", "{0} t/a (years 1–{1})";
    LimitsBindingLegend => "加粗的是读数对照的限值（有承诺值时为承诺值）。", "Bold: the limit readings are held to (the committed one where there is one).";
    SectionSpecialPeriods => "特殊时段许可排放限值", "Special-period limits";
    SpecialPeriodInForce => "正在执行", "In force now";
    SpecialPeriodsInForceToday => "今天处于特殊时段：{0}", "In force today: {0}";
    DateRange => "{0} 至 {1}", "{0} to {1}";
    FieldDailyAmount => "日许可排放量", "Daily amount";
    FieldMonthlyAmount => "月许可排放量", "Monthly amount";
    AmountKgPerDay => "{0} kg/日", "{0} kg/day";
    AmountTonnesPerMonth => "{0} t/月", "{0} t/month";
    FieldBindingLimit => "限值", "Limit";
    TrendTitle => "{0}（{1}）近24小时均值", "{0} ({1}), hourly averages over the last 24 h";
    TrendLimit => "限值 {0}", "limit {0}";
    TrendNoData => "暂无小时数据", "No hourly data";
    TrendExceedances => "{0}个小时均值超过限值", "{0} hourly averages over the limit";
    FieldLegalArticle => "法律依据", "Legal article";
    InternalRecord => "内部记录，不公开", "Internal record, not public";
    InternalNote => "内部备注", "Internal note";
    SectionLocation => "位置核对", "Location check";
    DistanceToOutlet => "本机距排放口约 {0}（定位精度 ±{1}\u{a0}m）。", "This device is about {0} from the outlet (fix accuracy ±{1}\u{a0}m).";
    DistanceBeyondRadius => "本机距排放口超过 {0}\u{a0}m：标志牌可能被移动或调换，请核实现场排放口。", "This device is more than {0}\u{a0}m from the outlet: the placard may have been moved or swapped. Check the outlet on site.";
    DistanceWithinRadius => "位置与排放口相符（{0}\u{a0}m 范围内）。", "The position matches the outlet (within {0}\u{a0}m).";
    PositionPending => "正在获取本机位置…", "Getting this device's position…";
    GeolocationDenied => "未获准使用定位，请在系统设置中允许本应用获取位置", "location access was not allowed; allow it in the device settings";
    GeolocationNoFix => "暂时无法定位", "no position fix is available";
    GeolocationTimeout => "定位超时", "the position request timed out";
    PositionUnavailable => "无法获取本机位置（{0}），未核对标志牌位置。", "This device's position is unavailable ({0}), so the placard's location was not checked.";
    PositionTooCoarse => "定位精度不足，无法判断本机是否在排放口 {0}\u{a0}m 范围内。", "The fix is too coarse to tell whether this device is within {0}\u{a0}m of the outlet.";
    OutletNotLocated => "登记信息中没有该排放口的有效坐标，无法核对位置。", "The registry has no valid coordinates for this outlet, so its location cannot be checked.";
    Relocate => "重新定位", "Locate again";
    PositionStale => "本机定位已超过{0}分钟，未用于核对。", "This device's position fix is more than {0} min old and was not used.";

    PermitAlertExpired => "排污许可证已于 {0} 过期。", "The discharge permit expired on {0}.";
    PermitAlertExpiring => "排污许可证将于 {0} 到期，剩余 {1} 天。", "The discharge permit expires on {0}, in {1} days.";
    PermitAlertCancelled => "排污许可证已注销。", "The discharge permit has been cancelled.";
    PermitAlertRevoked => "排污许可证已被撤销。", "The discharge permit has been revoked.";
    Exceedance => "超标", "over the limit";
    PermitValid => "有效", "Valid";
    PermitChanged => "有效（已变更）", "Valid (changed)";
    PermitRenewed => "有效（已延续）", "Valid (renewed)";
    PermitCancelled => "已注销", "Cancelled";
    PermitRevoked => "已撤销", "Revoked";
    OutletMain => "主要排放口", "Main outlet";
    OutletGeneral => "一般排放口", "General outlet";
    OutletOther => "其他排放口", "Other outlet";
    MediumAir => "废气", "Air";
    MediumWater => "废水", "Water";
    ModeManual => "手工监测", "Manual";
    ModeAutomatic => "自动监测", "Automatic";
    MonitorOnline => "在线", "Online";
    MonitorOffline => "离线", "Offline";
    MonitorFault => "故障", "Fault";
    MonitorMaintenance => "维护", "Maintenance";
    ActionInspection => "现场检查", "Inspection";
    ActionPenalty => "行政处罚", "Penalty";

    StartInspection => "记录现场检查", "Record an inspection";
    InspectionTitle => "现场检查笔录", "Inspection record";
    OfficerN => "执法人员{0}", "Officer {0}";
    OfficerName => "姓名", "Name";
    BadgeNo => "执法证号", "Badge no.";
    Checklist => "检查事项", "Checklist";
    ArticleRef => "《排污许可管理条例》第{0}条", "Permit Regulations art. {0}";
    AnswerComplies => "符合", "Complies";
    AnswerDoesNotComply => "不符合", "Does not comply";
    AnswerNotApplicable => "不适用", "N/A";
    Finding => "检查情况", "Findings";
    Finalize => "完成并锁定笔录", "Finalize the record";
    Finalized => "笔录已锁定，保存在本机，等待发送。", "The record is finalized, saved on this device and waiting to be sent.";
    TooFewOfficers => "至少需要{0}名执法人员（姓名和执法证号）。", "At least {0} officers with name and badge number are required.";
    OfficerIncomplete => "执法人员{0}的姓名和执法证号须同时填写。", "Officer {0} needs both a name and a badge number.";
    Unanswered => "检查事项“{0}”尚未作答。", "Checklist item \"{0}\" is not answered.";
    FindingTooLong => "检查情况共{0}字，最多{1}字。", "The findings have {0} characters; at most {1} are allowed.";
    StorageFailed => "本机存储失败（{0}）。笔录未丢失，请重试。", "Saving on this device failed ({0}). Nothing was lost; try again.";

    ItemValidPermit => "持有有效排污许可证", "Holds a valid discharge permit";
    ItemOutletsMatchPermit => "排放口位置、数量、去向与许可证一致", "Outlets' position, number and destination match the permit";
    ItemPlacardPresent => "排放口标志牌设置规范、清晰可辨", "Outlet placard present and legible";
    ItemAutomaticMonitoring => "自动监测设备按要求安装、运行并联网", "Automatic monitoring installed, running and networked as required";
    ItemSelfMonitoring => "按要求开展自行监测并保存原始记录", "Self-monitoring done and raw records kept";
    ItemLedger => "按要求建立环境管理台账", "Environmental ledger kept";
    ItemExecutionReports => "按时提交执行报告", "Execution reports filed on time";
    ItemDisclosure => "按要求公开污染物排放信息", "Required information disclosed";
    ItemSpecialPeriodControls => "落实特殊时段及无组织排放管控要求", "Special-period and fugitive-emission controls respected";
    ItemWithinLimits => "污染物排放浓度和排放量符合许可要求", "Emissions within permitted concentrations and amounts";

    OutboxTitle => "笔录发送", "Outbox";
    OutboxEmpty => "本机没有已锁定的笔录。", "No finalized records on this device.";
    StateQueued => "未发送", "Not sent";
    StateAcknowledged => "已送达，回执 {0}", "Acknowledged, receipt {0}";
    StateQuarantined => "被服务器拒收：{0}", "Rejected by the server: {0}";
    SyncNow => "立即同步", "Sync now";
    Syncing => "正在同步…", "Syncing…";
    AllSynced => "全部笔录已送达服务器。", "Every record has reached the server.";
    PendingCount => "{0}份笔录尚未送达。", "{0} records have not reached the server yet.";
    NextRetry => "将于 {0} 自动重试。", "Automatic retry at {0}.";
    SyncFailed => "同步未完成（{0}）。笔录保存在本机，稍后会重试。", "Sync did not finish ({0}). The records stay on this device and will be retried.";

    LoginTitle => "执法人员登录", "Officer login";
    LoginHint => "请使用执法证号和密码登录。登录后可离线使用至登录有效期结束。", "Log in with your badge number and password. After login the app also works offline until the login expires.";
    LoginPassword => "密码", "Password";
    LoginSubmit => "登录", "Log in";
    LoggingIn => "正在登录…", "Logging in…";
    LoginFieldsMissing => "请填写执法证号和密码。", "Enter your badge number and password.";
    LoginUnreachable => "无法连接服务器（{0}），请联网后登录。", "The server could not be reached ({0}); go online to log in.";
    LoginFailed => "登录失败：{0}", "Login failed: {0}";
    LoggedIn => "已登录：{0}（执法证号 {1}），辖区 {2}，有效期至 {3}。", "Logged in as {0} (badge no. {1}), jurisdiction {2}, valid until {3}.";
    SessionAccount => "{0}（{1}）", "{0} ({1})";
    SessionEnded => "登录已失效，请重新登录。草稿和待发送的笔录仍保存在本机。", "Your login is no longer valid; log in again. Drafts and unsent records stay on this device.";
    Logout => "退出登录", "Log out";
    LoggedOut => "已退出登录。草稿和待发送的笔录仍保存在本机。", "Logged out. Drafts and unsent records stay on this device.";
    LogoutOffline => "已在本机退出登录；服务器暂时无法连接，原登录凭据到 {0} 才失效。", "Logged out on this device. The server could not be reached, so the old login token stays valid until {0}.";
    OutletOutsideJurisdiction => "排放口 {0} 不在您的辖区内，无权查看完整信息。", "Outlet {0} is outside your jurisdiction, so its full card is not available to you.";
    RegionOutsideJurisdiction => "辖区 {0} 超出您的辖区 {1}，无法下载。", "Region {0} is outside your jurisdiction {1}, so it cannot be downloaded.";

    PublicTitle => "排放口信息公开", "Outlet public information";
    PublicLatest => "最新在线监测数据", "Latest online monitoring data";
    PublicPenalties => "行政处罚信息", "Administrative penalties";
    PublicHotline => "发现环境违法行为，请拨打环保举报热线 12369。", "To report an environmental violation, call the 12369 hotline.";
    PublicNotFound => "未找到排放口 {0}。请核对标志牌上的编号，或拨打 12369 反映。", "Outlet {0} was not found. Check the code on the placard, or call 12369.";

    PlacardAirTitle => "废气排放口", "Air discharge outlet";
    PlacardWaterTitle => "污水排放口", "Wastewater discharge outlet";
    PlacardScanHint => "扫码查看排放口许可与监测信息", "Scan for this outlet's permit and monitoring data";
    PlacardPollutants => "主要污染物", "Main pollutants";
    PlacardBureau => "监管部门", "Supervised by";
    PlacardSerial => "标志牌编号 {0}", "Placard no. {0}";
    PlacardHotline => "环保举报热线：12369", "Environmental hotline: 12369";

    ApiOutletNotFound => "未找到排放口 {0}。", "Outlet {0} was not found.";
    ApiInvalidInspection => "笔录无效：{0}", "The inspection record is invalid: {0}";
    ApiInspectionConflict => "笔录 {0} 已以不同内容提交过，服务器拒收，未覆盖原记录。", "Record {0} was already submitted with different content; the server rejected it and kept the original.";
    ApiInspectionNotFound => "服务器上没有笔录 {0}。", "No record {0} is stored on the server.";
    ApiBodyTooLarge => "提交的内容过大，上限为{0}字节。", "The request body is too large; the limit is {0} bytes.";
    ApiStorage => "服务器存储失败，请稍后重试。", "The server could not store the data; try again later.";
    ApiTokenMissing => "请先登录：请求中没有登录凭据。", "Log in first: the request carries no login token.";
    ApiTokenInvalid => "登录凭据无效，请重新登录。", "The login token is not valid; log in again.";
    ApiTokenExpired => "登录已于 {0} 过期，请重新登录。", "The login expired at {0}; log in again.";
    ApiTokenRevoked => "登录已失效（已退出、密码已重置或账号已停用），请重新登录。", "The login was revoked (logout, password reset or disabled account); log in again.";
    ApiAccountDisabled => "账号 {0} 已停用，请联系管理员。", "Account {0} is disabled; ask an administrator to enable it.";
    ApiInvalidCredentials => "执法证号或密码错误。", "Wrong badge number or password.";
    ApiInvalidLogin => "登录请求无效：{0}", "The login request is invalid: {0}";
    ApiInvalidQuery => "查询参数 {0} 无效：since 应为非负整数，limit 应为 1 到 2000 的整数，count 应为 true 或 false。", "The query {0} is invalid: since takes a non-negative integer, limit an integer from 1 to 2000, count true or false.";
    ApiBodyUnreadable => "请求内容读取不完整：{0}", "The request body could not be read in full: {0}";
    DetailIdNotUuid => "地址中的 {0} 不是 UUID。", "{0} in the URL is not a UUID.";
    DetailBodyNotUtf8 => "请求内容不是 UTF-8 文本。", "The body is not UTF-8 text.";
    DetailBodyNotRecord => "请求内容不是检查笔录（{0}）。", "The body is not an inspection record ({0}).";
    DetailIdMismatch => "笔录编号 {0} 与地址中的 {1} 不一致。", "The record's id {0} differs from the id {1} in the URL.";
    DetailTooFewOfficers => "需要至少 {0} 名执法人员，每人都要填写姓名和执法证号。", "At least {0} officers are needed, each with name and badge number.";
    DetailUnanswered => "第 {0} 项检查未作答。", "Checklist item {0} is not answered.";
    DetailFindingTooLong => "检查发现超过 {0} 字。", "The finding is longer than {0} characters.";
    DetailTooManyPhotos => "笔录列出的照片超过 {0} 张。", "The record lists more than {0} photos.";
    DetailPhotoRefInvalid => "笔录中的第 {0} 张照片无效：SHA-256 应为 64 位小写十六进制字符，大小应为 1 到 {1} 字节。", "Photo {0} of the record is invalid: its SHA-256 must be 64 lower-case hex characters and its size 1 to {1} bytes.";
    DetailPhotoListedTwice => "照片 {0} 在笔录中重复列出。", "Photo {0} is listed twice in the record.";
    ApiInvalidPhoto => "照片无效：{0}", "The photo is invalid: {0}";
    DetailPhotoHashForm => "地址中的 {0} 不是照片的 SHA-256：应为 64 位小写十六进制字符。", "{0} in the URL is not a photo's SHA-256: write 64 lower-case hex characters.";
    DetailPhotoHashMismatch => "收到的照片 SHA-256 为 {0}，与地址中的 {1} 不一致，可能未传完整，请重新上传。", "The received photo has SHA-256 {0}, not {1} as in the URL; the upload may be incomplete, so upload it again.";
    DetailPhotoNotListed => "笔录 {0} 没有列出照片 {1}，只能上传笔录列出的照片。", "Record {0} does not list photo {1}; only photos that the record lists can be uploaded.";
    DetailPhotoNotImage => "上传内容不是 JPEG 或 PNG 图片。", "The body is not a JPEG or PNG image.";
    DetailPasswordTooLong => "密码超过 {0} 个字符。", "The password is longer than {0} characters.";
    DetailLabelTooLong => "设备名称超过 {0} 个字符。", "The device label is longer than {0} characters.";
    DetailDeviceKey => "设备公钥 {0} 无效：应为 32 字节 Ed25519 公钥的标准 base64。", "The device public key {0} is not the standard base64 of a 32-byte Ed25519 public key.";
    DetailBodyNotLogin => "请求内容不是登录请求（{0}）。", "The body is not a login request ({0}).";
    ApiDeviceKeyConflict => "本设备（{0}）已用另一个签名公钥登记，请联系管理员。", "This device ({0}) is already registered with another signing key; ask an administrator.";
    ApiOutsideJurisdiction => "{0} 不在您的辖区内，无权访问。", "{0} is outside your jurisdiction, so access is denied.";
    ApiOfficerRequired => "此操作仅限执法人员账号。", "Only officer accounts may do this.";
    ApiAdminRequired => "此操作仅限管理员账号。", "Only administrator accounts may do this.";

    ImportSheet => "工作表“{0}”", "sheet {0}";
    ImportRow => "第{0}行", "row {0}";
    ImportColumn => "列“{0}”", "column {0}";
    ImportValue => "值“{0}”", "value \"{0}\"";
    ImportPlaceSeparator => "，", ", ";
    ImportProblemAt => "{0}：{1}", "{0}: {1}";
    ImportUnreadable => "无法读取文件：{0}。", "The file could not be read: {0}.";
    ImportUnsupportedFile => "不是 .csv 或 .xlsx 文件。", "Not a .csv or .xlsx file.";
    ImportEmptyFolder => "文件夹中没有 .csv 或 .xlsx 文件。", "The folder holds no .csv or .xlsx file.";
    ImportNotText => "文件既不是 UTF-8 也不是 GB18030 编码的文本，请另存为“CSV UTF-8（逗号分隔）”。", "The file is neither UTF-8 nor GB18030 text; save it as \"CSV UTF-8 (comma delimited)\".";
    ImportCorruptWorkbook => "无法作为 .xlsx 工作簿读取：{0}。", "Not a readable .xlsx workbook: {0}.";
    ImportMalformedCsv => "CSV 格式错误：{0}。", "Malformed CSV: {0}.";
    ImportUnknownTable => "不是表名，应为以下之一：{0}。", "Not a table name; expected one of {0}.";
    ImportDuplicateTable => "{0}表重复，已从 {1} 读取。", "Table {0} was already read from {1}.";
    ImportMissingTable => "缺少{0}表。没有记录时也请提供只含表头的文件或工作表。", "Table {0} is missing; give its header row even when it has no rows.";
    ImportNoHeader => "表头行为空。", "The header row is empty.";
    ImportUnknownColumn => "不是{0}表的列，应为以下之一：{1}。", "Not a column of table {0}; its columns are {1}.";
    ImportMissingColumn => "缺少必需的列。", "A required column is missing.";
    ImportDuplicateColumn => "与列“{0}”重复。", "The column repeats column {0}.";
    ImportCellWithoutHeader => "单元格有内容，但所在列没有表头。", "The cell has a value but its column has no header.";
    ImportMissing => "必须填写。", "A value is required.";
    ImportCellError => "单元格为错误值 {0}。", "The cell contains the spreadsheet error {0}.";
    ImportUsccLength => "统一社会信用代码应为18位，实际为{0}位。", "A USCC has 18 characters; this one has {0}.";
    ImportUsccCharacter => "统一社会信用代码含有字符“{0}”，只能使用数字和除 I、O、S、V、Z 以外的大写字母。", "The USCC contains {0}; only digits and the capital letters other than I, O, S, V and Z are allowed.";
    ImportUsccCheck => "统一社会信用代码的校验码为“{0}”，按前17位计算应为“{1}”。", "The USCC's check character is {0}; the first 17 characters give {1}.";
    ImportPermitNoShape => "许可证编号应为22位：18位统一社会信用代码、3位数字和1个字母，例如 91350100M000100Y43001P。", "A permit number has 22 characters: the unit's USCC, 3 digits and a letter, e.g. 91350100M000100Y43001P.";
    ImportPermitNoUscc => "许可证编号的前18位不是有效的统一社会信用代码：{0}", "The first 18 characters of the permit number are not a valid USCC: {0}";
    ImportOutletCode => "排放口编号应为 D、A（废气）或 W（废水）加3位数字，例如 DA001。", "An outlet code is D, then A (air) or W (water), then 3 digits, e.g. DA001.";
    ImportInvalidId => "编号无效：{0}。", "Invalid identifier: {0}.";
    ImportPermitOfOtherUnit => "许可证编号应以本单位的统一社会信用代码 {0} 开头。", "The permit number must start with the unit's USCC {0}.";
    ImportOutletCodeMedium => "排放口编号表示{0}排放口，但排放介质为{1}。", "The outlet code is for {0} outlets, but the medium is {1}.";
    ImportInvalidChoice => "不是可选的值，应为以下之一：{0}。", "Not an allowed value; expected one of {0}.";
    ImportUnknownMeasure => "无法识别的计量单位，应为以下之一：{0}。", "Unknown unit of measure; expected one of {0}.";
    ImportMeasureMedium => "计量单位 {0} 用于{1}排放口，但该排放口为{2}排放口。", "The unit {0} is for {1} outlets, but the outlet's medium is {2}.";
    ImportWrongMeasure => "计量单位应为 {0}。", "The unit must be {0}.";
    ImportConflictingMeasure => "数值后的计量单位与“{1}”列的 {0} 不一致。", "The unit after the number differs from {0} in column {1}.";
    ImportMissingMeasure => "数值限值须有计量单位：填在“{0}”列，或写在数值后面。", "A numeric limit needs its unit, in column {0} or after the number.";
    ImportInvalidNumber => "不是数字。", "Not a number.";
    ImportNegative => "不能为负数。", "Must not be negative.";
    ImportOutOfRange => "应在 {0} 到 {1} 之间。", "Must be between {0} and {1}.";
    ImportNotWholeNumber => "应为不小于 {0} 的整数。", "Must be a whole number of at least {0}.";
    ImportInvalidDate => "不是有效日期，应为 YYYY-MM-DD 格式，例如 2026-01-31。", "Not a date; expected YYYY-MM-DD, e.g. 2026-01-31.";
    ImportDateOrder => "早于“{0}”列的 {1}。", "Is before {1} in column {0}.";
    ImportInvalidPollutantCode => "不是 HJ 212 污染物代码，应为 a（废气）或 w（废水）加5位数字，例如 a21026。", "Not an HJ 212 pollutant code; expected a (air) or w (water) and 5 digits, e.g. a21026.";
    ImportPollutantCodeMedium => "污染物代码用于{0}排放口，但该排放口为{1}排放口。", "The pollutant code is for {0} outlets, but the outlet's medium is {1}.";
    ImportInvalidMn => "不是 HJ 212 设备唯一标识（MN），应为1至24位字母或数字。", "Not an HJ 212 device id (MN); expected 1 to 24 letters or digits.";
    ImportDangling => "在{0}表中不存在。", "Not found in table {0}.";
    ImportDuplicate => "与第{0}行重复。", "Repeats the key of row {0}.";
    ImportRepeatedInList => "“{0}”重复列出。", "{0} is listed twice.";
    ImportRequiredWhen => "“{0}”列为“{1}”时必须填写。", "Required when column {0} is {1}.";
    ImportNotAllowedWhen => "“{0}”列为“{1}”时应为空。", "Must be empty when column {0} is {1}.";
    ImportNoLimit => "本行没有任何限值，请至少填写一项浓度、排放速率或年许可排放量。", "The row sets no limit; fill at least one concentration, the rate or an annual amount.";
    ImportAir => "废气", "air";
    ImportWater => "废水", "water";
    ImportDecodedGb18030 => "{0} 不是 UTF-8 编码，已按 GB18030 读取。", "{0} is not UTF-8 and was read as GB18030.";
    ImportEmptySheetSkipped => "{0} 的工作表“{1}”为空，已跳过。", "{0}, sheet {1}: empty, skipped.";
    ImportProblemCount => "登记表中有 {0} 处错误。", "Problems found in the registry: {0}.";
    ImportRejected => "登记表有错误，未导入任何数据。请改正后重新导入，或使用 --skip-invalid 导入没有错误行的许可证。", "The registry has problems, so nothing was imported. Fix them and import again, or use --skip-invalid to import the permits without invalid rows.";
    ImportRejectedStructural => "文件、工作表或表头有错误，未导入任何数据（--skip-invalid 也不能跳过这类错误）。请改正后重新导入。", "A file, sheet or header has a problem, so nothing was imported (--skip-invalid cannot skip such problems). Fix it and import again.";
    ImportHeldBack => "许可证 {0} 有错误行，未导入，已存储的数据保持不变。", "Permit {0} has invalid rows and was not imported; its stored data is unchanged.";
    ImportRemovalsWithheld => "有错误行无法确定所属许可证，本次不删除任何排放口。", "An invalid row names no permit of the registry, so no outlet is removed this time.";
    ImportWouldAdd => "新增 {0}", "add {0}";
    ImportWouldUpdate => "更新 {0}（版本 {1}）", "update {0} (version {1})";
    ImportWouldRemove => "删除 {0}", "remove {0}";
    ImportSummary => "新增 {0}，更新 {1}，未变 {2}，删除 {3}，跳过 {4} 行。", "{0} added, {1} updated, {2} unchanged, {3} removed, {4} rows skipped.";
    ImportDryRun => "试运行：未写入任何数据。", "Dry run: nothing was written.";
    ImportRate => "共读取 {0} 行，用时 {1} 秒（每秒 {2} 行）。", "Read {0} rows in {1} s ({2} rows/s).";

    // Inspection record: the app (form, outbox).
    TextTooLong => "该项共{0}字，最多{1}字。", "This field has {0} characters; at most {1} are allowed.";
    ListFull => "最多可填写{0}项。", "At most {0} entries are allowed.";
    OutletOfOtherPermit => "排放口 {0} 不属于许可证 {1}，同一份笔录只能记录同一单位的排放口。", "Outlet {0} is not under permit {1}; one record covers the outlets of one unit.";
    NoFixYet => "尚未获得定位。请稍候再试，或填写无法定位的原因。", "No position fix yet. Try again shortly, or enter why there is none.";
    FixTooOld => "当前定位已是{0}前的，超过{1}分钟，不能直接使用。请重新定位，或填写无法定位的原因。", "The last fix is {0} old, more than {1} minutes: take a new fix, or enter why there is none.";
    WitnessNeedsRefusal => "只有当事人拒绝签字时才需要见证人。", "A witness is only needed when the party refuses to sign.";
    SignatureNotDrawn => "签名太短，请重新签写。", "The signature is too short; please sign again.";
    RecordNotDeletable => "笔录 {0} 尚未全部上传（含照片），不能删除。", "Record {0} is not fully uploaded (photos included), so it cannot be deleted.";
    FreezeNoOutlet => "请至少选择一个排放口。", "Choose at least one outlet.";
    FreezeNoRecorder => "请指定记录人（须为已填写的执法人员之一）。", "Choose the recorder among the officers listed.";
    FreezeMeasurementInvalid => "第{0}项现场监测：{1}", "Measurement {0}: {1}";
    FreezeNoLocation => "请获取定位，或填写无法定位的原因。", "Take a position fix, or enter why there is none.";
    FreezeUnknownArticle => "《排污许可管理条例》没有第{0}条。", "The regulation has no article {0}.";
    FreezeNoAcknowledgement => "请当事人签名确认“以上记录属实”，或记录拒签原因。", "Have the party sign \"the above record is true\", or record the refusal and its reason.";
    FreezeRefusalWithoutReason => "请填写当事人拒绝签字的原因。", "Enter why the party refuses to sign.";
    FreezeWitnessWithoutName => "见证人已签名，请填写见证人姓名。", "The witness signed; enter the witness's name.";
    MeasureNoPollutant => "未填写污染物。", "the pollutant is missing.";
    MeasureBadValue => "监测值须为不小于0的数字。", "the value must be a number of 0 or more.";
    MeasureNoUnit => "未填写单位。", "the unit is missing.";
    MeasureNoSampleNo => "采样须填写样品编号。", "a sample needs its sample number.";
    MeasureOtherOutlet => "排放口不在本笔录中。", "the outlet is not one of the record's outlets.";
    StorageFull => "设备存储空间已满，未能保存。请清理空间后重新打开应用；之前保存的内容均完好。", "The device's storage is full and this was not saved. Free some space, then close and reopen the app; everything saved before is intact.";
    PhotoMissingOnDevice => "照片 {0} 已不在本设备上，无法上传。", "Photo {0} is no longer on this device and cannot be uploaded.";
    PdfFailed => "未能生成笔录PDF：{0}", "The record PDF could not be made: {0}";
    PdfWritten => "笔录PDF已保存：{0}", "Record PDF saved: {0}";
    PhotoNotAttached => "照片未添加：{0}", "The photo was not attached: {0}";
    PdfNativeOnly => "网页版暂不能离线生成PDF，请在手机或电脑应用中导出。", "The web app cannot make the PDF offline yet; export it from the phone or desktop app.";

    // Inspection record: the form's labels (UI).
    FormSectionBasics => "基本信息", "Basic information";
    FormLabelValue => "{0}：{1}", "{0}: {1}";
    FormAddOutletLabel => "同一单位的其他排放口（许可证编号-排放口编号）", "Another outlet of this unit (permit number-outlet code)";
    FormAddOutlet => "添加排放口", "Add the outlet";
    FormRemove => "移除", "Remove";
    FormAddOfficer => "添加执法人员", "Add an officer";
    FormPremarkProposed => "根据排放口信息预判为“{0}”，请现场核实后选择结论。", "Pre-marked \"{0}\" from the outlet card: check on site, then choose an answer.";
    FormPremarkExceedance => "排放口 {0} 最新在线监测数据：{1} {2} {3}，超过许可排放浓度。", "Outlet {0}, latest online reading: {1} {2} {3}, above the permitted concentration.";
    FormPremarkMonitorDown => "排放口 {0} 的在线监测设备 {1} 状态为“{2}”。", "Outlet {0}: online monitor {1} is {2}.";
    FormPremarkPermitInvalid => "排污许可证已过期、注销或撤销。", "The discharge permit has expired, or was cancelled or revoked.";
    FormAddMeasurement => "添加现场监测", "Add a measurement";
    FormMeasurementN => "现场监测{0}", "Measurement {0}";
    FormUseCurrentFix => "使用当前位置", "Use the current position";
    FormNoFixReason => "无法定位的原因", "Why there is no position fix";
    FormAddViolation => "添加涉嫌违法条款", "Add the suspected violation";
    FormAckIntro => "请当事人阅读笔录后在下方签名确认：", "The party reads the record and signs below under:";
    FormAckMeaning => "（以上记录属实）", "(the above record is true)";
    FormPartyRefuses => "当事人拒绝签名", "The party refuses to sign";
    FormPartySignsInstead => "改为当事人签名", "The party signs after all";
    FormRefusalReason => "拒签理由", "Reason for refusing";
    FormWitnessName => "见证人姓名", "Witness's name";
    FormClearAcknowledgement => "清除，重新确认", "Clear and start again";
    FormSignatureHint => "请在框内签名（手指、触控笔或鼠标均可）", "Sign inside the box with a finger, a pen or the mouse";
    FormSignatureConfirm => "确认签名", "Confirm the signature";
    FormSignatureRedo => "重签", "Sign again";
    FormSigned => "已签名", "Signed";
    FormDiscardDraft => "删除草稿", "Discard the draft";
    FormDiscardQuestion => "确定删除此草稿？删除后无法恢复。", "Discard this draft? It cannot be recovered.";
    FormDiscardConfirm => "确定删除", "Discard";
    FormCancel => "取消", "Cancel";
    OutboxDrafts => "未完成的草稿", "Unfinished drafts";
    OutboxOpenDraft => "继续填写", "Continue";
    OutboxRecords => "已锁定的笔录", "Finalized records";
    OutboxStateSending => "正在发送…", "Sending now…";
    OutboxPhotosUploading => "{0}张照片正在上传", "{0} photos uploading";
    OutboxPhotoRejected => "照片 {0} 被服务器拒收（HTTP {1}）：{2}", "Photo {0} was rejected by the server (HTTP {1}): {2}";
    OutboxQuarantined => "被服务器拒收（HTTP {0}）：{1}", "Rejected by the server (HTTP {0}): {1}";
    OutboxNeedAttention => "{0}份笔录或其照片被服务器拒收，请查看原因并更正。", "{0} records or their photos were rejected by the server: read the reason and correct them.";
    OutboxCorrect => "更正笔录", "Correct the record";
    OutboxExportPdf => "导出PDF", "Export PDF";
    OutboxDelete => "从本机删除", "Delete from this device";

    // Inspection record: the server (intake, signature, clock skew).
    DetailHeaderMissing => "缺少请求头 {0}。", "The request header {0} is missing.";
    DetailDeviceIdHeader => "请求头 Outlet-Device-Id 的值 {0} 不是 UUID。", "The Outlet-Device-Id header {0} is not a UUID.";
    DetailSentAtHeader => "请求头 Outlet-Sent-At 的值 {0} 不是 RFC 3339 时间，应写成 2026-12-04T09:30:00+08:00 的形式。", "The Outlet-Sent-At header {0} is not an RFC 3339 time such as 2026-12-04T09:30:00+08:00.";
    DetailDeviceIdMismatch => "笔录的设备编号 {0} 与请求头 Outlet-Device-Id 的 {1} 不一致。", "The record's device_id {0} differs from the Outlet-Device-Id header {1}.";
    DetailOutletCount => "笔录列出 {0} 个排放口，应为 1 到 {1} 个。", "The record lists {0} outlets; it must list 1 to {1}.";
    DetailListTooLong => "笔录字段 {0} 列出 {1} 项，上限为 {2} 项。", "The record's field {0} lists {1} entries; at most {2} are allowed.";
    DetailTextTooLong => "笔录字段 {0} 有 {1} 个字符，上限为 {2} 个。", "The record's field {0} has {1} characters; at most {2} are allowed.";
    DetailOfficerIncomplete => "第 {0} 名执法人员缺少姓名或执法证号。", "Officer {0} lacks a name or a badge number.";
    DetailRecorderInvalid => "记录人序号 {0} 不在所列 {1} 名执法人员之中（序号从 0 起）。", "The recorder index {0} names none of the {1} listed officers (indexes start at 0).";
    DetailAnsweredTwice => "第 {0} 项检查作答了不止一次。", "Checklist item {0} is answered more than once.";
    DetailMeasurementOtherOutlet => "第 {0} 项现场监测的排放口 {1} 不在笔录所列排放口之中。", "Measurement {0} names outlet {1}, which the record does not list.";
    DetailMeasurementNoPollutant => "第 {0} 项现场监测缺少污染物名称。", "Measurement {0} lacks the pollutant.";
    DetailMeasurementValue => "第 {0} 项现场监测的数值 {1} 无效：应为不小于 0 的有限数。", "Measurement {0} has the value {1}; it must be a finite number of 0 or more.";
    DetailMeasurementNoUnit => "第 {0} 项现场监测缺少单位。", "Measurement {0} lacks the unit.";
    DetailMeasurementNoSampleNo => "第 {0} 项现场监测为采样，缺少样品编号。", "Measurement {0} is a sample but lacks the sample number.";
    DetailLocationNoReason => "笔录没有定位，也没有写明未定位的原因。", "The record has no position fix and no reason for lacking one.";
    DetailLocationFix => "定位无效：纬度 {0} 应在 -90 到 90 之间，经度 {1} 应在 -180 到 180 之间，精度 {2} 米应为大于 0 的有限数。", "The position fix is invalid: latitude {0} must lie from -90 to 90, longitude {1} from -180 to 180, and the accuracy {2} m must be a finite number above 0.";
    DetailPhotoPosition => "第 {0} 张照片的位置无效：纬度 {1} 应在 -90 到 90 之间，经度 {2} 应在 -180 到 180 之间。", "Photo {0} has an invalid position: latitude {1} must lie from -90 to 90 and longitude {2} from -180 to 180.";
    DetailUnknownArticle => "第 {0} 项涉嫌违法行为引用第 {1} 条，《排污许可管理条例》只有第 1 至 {2} 条。", "Suspected violation {0} names article {1}, but the regulation has articles 1 to {2} only.";
    DetailSignatureNotDrawn => "当事人签名无效：签名须有笔画，且所有点都在签名框内。", "The party's signature is invalid: it needs drawn strokes with every point inside the signature box.";
    DetailRefusalWithoutReason => "当事人拒绝签名，但没有写明理由。", "The party refused to sign, but no reason is given.";
    DetailWitnessInvalid => "见证人须写明姓名，签名须有笔画，且所有点都在签名框内。", "The witness needs a name and a drawn signature with every point inside the signature box.";
    DetailDeviceSeq => "笔录的设备序号 device_seq 为 {0}，应为 1 到 {1}。", "The record's device_seq is {0}; it must lie from 1 to {1}.";
    DetailHashForm => "笔录字段 {0} 的值 {1} 不是 SHA-256：应为 64 位小写十六进制字符。", "The record's field {0} holds {1}, which is not a SHA-256 of 64 lower-case hex characters.";
    ApiDeviceNotRegistered => "本设备（{0}）的签名公钥未在您的账号下登记，请在本设备上重新登录，然后再发送笔录。", "This device ({0}) has no signing key registered under your account; log in again on this device, then send the record again.";
    ApiSignatureInvalid => "笔录 {0} 的设备签名无效，内容可能已被改动或由其他密钥签名，服务器未保存。", "The device signature of record {0} is invalid: the content was altered or another key signed it, so the server did not store it.";
    ApiInvalidDeviceId => "地址中的 {0} 不是设备编号（UUID）。", "{0} in the URL is not a device id (a UUID).";
    ApiDeviceChainForbidden => "只有管理员或登记了设备 {0} 的执法人员可以查看其笔录链。", "Only an administrator, or an officer who registered device {0}, may view its record chain.";
    ReceiptClockSkew => "发送时设备时钟与服务器相差 {0} 秒，笔录中的时间请核实。", "The device's clock differed from the server's by {0} s when sending; check the times in the record.";

    // Inspection record: the printed record (PDF).
    PrintRecordNo => "笔录编号", "Record no.";
    PrintReceiptNo => "回执编号", "Receipt no.";
    PrintTaskType => "检查类型", "Task type";
    PrintTaskRoutine => "日常检查", "Routine inspection";
    PrintTaskSpecialCampaign => "专项检查", "Special campaign";
    PrintTaskComplaint => "信访投诉", "Complaint";
    PrintUnit => "被检查单位", "Inspected unit";
    PrintOutlets => "排放口", "Outlets";
    PrintPlace => "检查地点", "Place";
    PrintTime => "检查时间", "Time";
    PrintTimeRange => "{0} 至 {1}（UTC{2}）", "{0} to {1} (UTC{2})";
    PrintDateTime => "{0}年{1}月{2}日 {3}:{4}", "{0}-{1}-{2} {3}:{4}";
    PrintDate => "{0}年{1}月{2}日", "{0}-{1}-{2}";
    PrintOfficers => "执法人员", "Officers";
    PrintOfficer => "{0}（执法证号 {1}）", "{0} (badge no. {1})";
    PrintRecorder => "记录人", "Recorder";
    PrintLocation => "定位", "Location";
    PrintFix => "{0}，精度 ±{1} m，定位时间 {2}，来源：{3}", "{0}, accuracy ±{1} m, fixed at {2}, source: {3}";
    PrintFixDevice => "设备定位服务", "device location service";
    PrintFixBrowser => "浏览器定位", "browser geolocation";
    PrintNoFix => "未定位：{0}", "No fix: {0}";
    PrintNotRecorded => "未记录", "Not recorded";
    PrintColumnNo => "序号", "No.";
    PrintColumnItem => "检查内容", "Item";
    PrintColumnAnswer => "结论", "Result";
    PrintColumnNote => "备注", "Note";
    PrintArticles => "《排污许可管理条例》{0}", "Permit Regulations art. {0}";
    PrintColumnArticles => "《排污许可管理条例》", "Permit Regulations art.";
    PrintArticleNo => "第{0}条", "{0}";
    PrintListSeparator => "、", ", ";
    PrintMeasurements => "现场监测", "Measurements on site";
    PrintColumnValue => "测定值", "Value";
    PrintColumnUnit => "单位", "Unit";
    PrintColumnMethod => "方式", "Method";
    PrintColumnSampleNo => "样品编号", "Sample no.";
    PrintMethodPortable => "便携式仪器", "Portable instrument";
    PrintMethodSampling => "采样", "Sampling";
    PrintPhotos => "现场照片", "Photos";
    PrintColumnPhotoHash => "SHA-256（前16位）", "SHA-256 (first 16)";
    PrintColumnTakenAt => "拍摄时间", "Taken at";
    PrintColumnPosition => "拍摄位置", "Position";
    PrintSuspectedViolations => "涉嫌违法条款", "Suspected violations";
    PrintViolationNote => "{0}：{1}", "{0}: {1}";
    PrintAcknowledgement => "当事人意见", "Party's acknowledgement";
    PrintPartySignature => "当事人签名", "Party's signature";
    PrintSignedOn => "签名日期", "Date signed";
    PrintRefused => "当事人拒绝签名，理由：{0}", "The party refused to sign. Reason: {0}";
    PrintWitness => "见证人", "Witness";
    PrintWitnessSignature => "见证人签名", "Witness's signature";
    PrintNoWitness => "无见证人签名。", "No witness signed.";
    PrintAmends => "更正记录：本笔录更正笔录 {0}（原笔录 SHA-256 {1}）。", "Correction: this record amends record {0} (SHA-256 {1}).";
    PrintPageOf => "第 {0} 页 / 共 {1} 页", "Page {0} of {1}";
    PrintFooterHash => "SHA-256：{0}", "SHA-256: {0}";
    PrintFooterDevice => "设备 {0}，序号 {1}", "Device {0}, sequence {1}";

    // Inspection record: photos on the device.
    PhotoEmpty => "照片为空（0 字节）。请重新拍照或选择照片。", "The photo is empty (0 bytes). Take or pick it again.";
    PhotoFileTooLarge => "照片文件为 {0} MB，超过上限 {1} MB。请降低相机分辨率后重拍。", "The photo file is {0} MB, over the limit of {1} MB. Lower the camera's resolution and take it again.";
    PhotoNotAnImage => "所选文件不是图片（开头字节为 {0}）。请选择 JPEG、PNG 或 WebP 格式的照片。", "The file is not an image (it starts with {0}). Pick a JPEG, PNG or WebP photo.";
    PhotoUnsupportedFormat => "不支持 {0} 格式的照片。请选择 JPEG、PNG 或 WebP 格式的照片。", "{0} photos are not supported. Pick a JPEG, PNG or WebP photo.";
    PhotoHeicHint => "iPhone 可在“设置 > 相机 > 格式”中选择“兼容性最佳”，改为拍摄 JPEG 照片。", "On an iPhone, choose Settings > Camera > Formats > Most Compatible to take JPEG photos.";
    PhotoTooManyPixels => "照片为 {0}×{1} 像素，超过上限 {2} 百万像素。请降低相机分辨率后重拍。", "The photo is {0}×{1} pixels, over the limit of {2} megapixels. Lower the camera's resolution and take it again.";
    PhotoTooMuchMemory => "解码这张 {0} 照片需要 {1} MB 内存，超过上限 {2} MB。请降低相机分辨率后重拍。", "Decoding this {0} photo needs {1} MB of memory, over the limit of {2} MB. Lower the camera's resolution and take it again.";
    PhotoDecoderLimit => "解码这张 {0} 照片超出了 {1} MB 的内存上限。请降低相机分辨率后重拍。", "Decoding this {0} photo went over the memory limit of {1} MB. Lower the camera's resolution and take it again.";
    PhotoTruncated => "这张 {0} 照片不完整，文件在结尾之前中断。请重新拍照或选择照片。", "This {0} photo is incomplete: the file ends too early. Take or pick it again.";
    PhotoCorrupt => "这张 {0} 照片已损坏（{1}）。请重新拍照或选择照片。", "This {0} photo is corrupt ({1}). Take or pick it again.";
    PhotoUnsupportedFeature => "无法读取这张 {0} 照片（{1}）。请在相册中将其另存为 JPEG 后重新选择。", "This {0} photo cannot be read ({1}). Save it as a JPEG in the gallery and pick it again.";
    PhotoOutputTooLarge => "照片压缩后仍有 {0} MB，超过上限 {1} MB。请减小照片尺寸设置。", "The compressed photo is still {0} MB, over the limit of {1} MB. Lower the photo size setting.";
    PhotoEncodeFailed => "照片保存失败（{0}）。", "The photo could not be saved ({0}).";
    PhotoInvalidSettings => "照片处理设置无效：{0} 为 {1}，应为 {2}。", "Invalid photo setting: {0} is {1}; expected {2}.";

}

impl Msg {
    /// Fills the placeholders `{0}`, `{1}`, ... of the text with `args`.
    pub fn fill(self, lang: Lang, args: &[&str]) -> String {
        let mut text = self.text(lang).to_string();
        for (i, arg) in args.iter().enumerate() {
            text = text.replace(&format!("{{{i}}}"), arg);
        }
        text
    }
}

/// Formats an age in seconds as minutes, hours or days ("5分钟", "3 h").
/// Translates the reason a platform gave for having no position. Reasons that start with a W3C
/// Geolocation error code (`1:` permission denied, `2:` position unavailable, `3:` timeout) get a
/// text in `lang`. Any other reason is returned as the platform wrote it.
pub fn position_reason(lang: Lang, reason: &str) -> String {
    let code = reason.split(':').next().unwrap_or_default().trim();
    let msg = match code {
        "1" => Msg::GeolocationDenied,
        "2" => Msg::GeolocationNoFix,
        "3" => Msg::GeolocationTimeout,
        _ => return reason.to_string(),
    };
    msg.text(lang).to_string()
}

pub fn format_age(lang: Lang, seconds: i64) -> String {
    let minutes = (seconds.max(0) / 60).max(1);
    if minutes < 60 {
        Msg::AgeMinutes.fill(lang, &[&minutes.to_string()])
    } else if minutes < 48 * 60 {
        Msg::AgeHours.fill(lang, &[&(minutes / 60).to_string()])
    } else {
        Msg::AgeDays.fill(lang, &[&(minutes / (24 * 60)).to_string()])
    }
}

/// Formats an instant as local date and minute with its UTC offset, e.g. `2026-12-04 08:00 (UTC+08:00)`.
pub fn format_time(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] (UTC[offset_hour sign:mandatory]:[offset_minute])");
    at.format(&format).unwrap_or_else(|_| at.to_string())
}

/// Writes the warning text of a permit alert.
pub fn permit_alert_text(alert: PermitAlert, lang: Lang) -> String {
    match alert {
        PermitAlert::Expired { valid_to } => Msg::PermitAlertExpired.fill(lang, &[&valid_to.to_string()]),
        PermitAlert::ExpiringSoon { valid_to, days_left } => {
            Msg::PermitAlertExpiring.fill(lang, &[&valid_to.to_string(), &days_left.to_string()])
        }
        PermitAlert::Cancelled => Msg::PermitAlertCancelled.text(lang).to_string(),
        PermitAlert::Revoked => Msg::PermitAlertRevoked.text(lang).to_string(),
    }
}

/// Labels of domain enums.
pub trait Label {
    fn label(&self) -> Msg;

    fn text(&self, lang: Lang) -> &'static str {
        self.label().text(lang)
    }
}

impl Label for ChecklistItem {
    fn label(&self) -> Msg {
        match self {
            ChecklistItem::ValidPermit => Msg::ItemValidPermit,
            ChecklistItem::OutletsMatchPermit => Msg::ItemOutletsMatchPermit,
            ChecklistItem::PlacardPresent => Msg::ItemPlacardPresent,
            ChecklistItem::AutomaticMonitoring => Msg::ItemAutomaticMonitoring,
            ChecklistItem::SelfMonitoring => Msg::ItemSelfMonitoring,
            ChecklistItem::Ledger => Msg::ItemLedger,
            ChecklistItem::ExecutionReports => Msg::ItemExecutionReports,
            ChecklistItem::Disclosure => Msg::ItemDisclosure,
            ChecklistItem::SpecialPeriodControls => Msg::ItemSpecialPeriodControls,
            ChecklistItem::WithinLimits => Msg::ItemWithinLimits,
        }
    }
}

impl Label for Answer {
    fn label(&self) -> Msg {
        match self {
            Answer::Complies => Msg::AnswerComplies,
            Answer::DoesNotComply => Msg::AnswerDoesNotComply,
            Answer::NotApplicable => Msg::AnswerNotApplicable,
        }
    }
}

impl From<crate::api::RemovalReason> for Msg {
    fn from(reason: crate::api::RemovalReason) -> Msg {
        match reason {
            crate::api::RemovalReason::PermitCancelled => Msg::RemovedPermitCancelled,
            crate::api::RemovalReason::PermitRevoked => Msg::RemovedPermitRevoked,
            crate::api::RemovalReason::OutletRemoved => Msg::RemovedOutletRemoved,
        }
    }
}

impl Label for PermitStatus {
    fn label(&self) -> Msg {
        match self {
            PermitStatus::Valid => Msg::PermitValid,
            PermitStatus::Changed => Msg::PermitChanged,
            PermitStatus::Renewed => Msg::PermitRenewed,
            PermitStatus::Cancelled => Msg::PermitCancelled,
            PermitStatus::Revoked => Msg::PermitRevoked,
        }
    }
}

impl Label for OutletKind {
    fn label(&self) -> Msg {
        match self {
            OutletKind::Main => Msg::OutletMain,
            OutletKind::General => Msg::OutletGeneral,
            OutletKind::Other => Msg::OutletOther,
        }
    }
}

impl Label for Medium {
    fn label(&self) -> Msg {
        match self {
            Medium::Air => Msg::MediumAir,
            Medium::Water => Msg::MediumWater,
        }
    }
}

impl Label for MonitoringMode {
    fn label(&self) -> Msg {
        match self {
            MonitoringMode::Manual => Msg::ModeManual,
            MonitoringMode::Automatic => Msg::ModeAutomatic,
        }
    }
}

impl Label for OnlineStatus {
    fn label(&self) -> Msg {
        match self {
            OnlineStatus::Online => Msg::MonitorOnline,
            OnlineStatus::Offline => Msg::MonitorOffline,
            OnlineStatus::Fault => Msg::MonitorFault,
            OnlineStatus::Maintenance => Msg::MonitorMaintenance,
        }
    }
}

impl Label for crate::inspection::MeasurementProblem {
    fn label(&self) -> Msg {
        use crate::inspection::MeasurementProblem;

        match self {
            MeasurementProblem::NoPollutant => Msg::MeasureNoPollutant,
            MeasurementProblem::BadValue => Msg::MeasureBadValue,
            MeasurementProblem::NoUnit => Msg::MeasureNoUnit,
            MeasurementProblem::NoSampleNo => Msg::MeasureNoSampleNo,
            MeasurementProblem::OtherOutlet => Msg::MeasureOtherOutlet,
        }
    }
}

impl Label for crate::inspection::TaskType {
    fn label(&self) -> Msg {
        use crate::inspection::TaskType;

        match self {
            TaskType::Routine => Msg::PrintTaskRoutine,
            TaskType::SpecialCampaign => Msg::PrintTaskSpecialCampaign,
            TaskType::Complaint => Msg::PrintTaskComplaint,
        }
    }
}

impl Label for crate::inspection::FixSource {
    fn label(&self) -> Msg {
        use crate::inspection::FixSource;

        match self {
            FixSource::Device => Msg::PrintFixDevice,
            FixSource::Browser => Msg::PrintFixBrowser,
        }
    }
}

impl Label for EnforcementKind {
    fn label(&self) -> Msg {
        match self {
            EnforcementKind::Inspection => Msg::ActionInspection,
            EnforcementKind::Penalty => Msg::ActionPenalty,
        }
    }
}

impl Label for ManagementClass {
    fn label(&self) -> Msg {
        match self {
            ManagementClass::Key => Msg::ClassKey,
            ManagementClass::Simplified => Msg::ClassSimplified,
        }
    }
}

impl Label for DischargeMode {
    fn label(&self) -> Msg {
        match self {
            DischargeMode::Direct => Msg::DischargeDirect,
            DischargeMode::Indirect => Msg::DischargeIndirect,
        }
    }
}

impl Label for bool {
    fn label(&self) -> Msg {
        if *self {
            Msg::Yes
        } else {
            Msg::No
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_reasons_by_error_code() {
        assert_eq!(position_reason(Lang::Zh, "1: User denied Geolocation"), Msg::GeolocationDenied.text(Lang::Zh));
        assert_eq!(position_reason(Lang::En, "3: Timeout expired"), Msg::GeolocationTimeout.text(Lang::En));
        assert_eq!(position_reason(Lang::Zh, "2: Position unavailable"), Msg::GeolocationNoFix.text(Lang::Zh));
        assert_eq!(position_reason(Lang::Zh, "navigator.geolocation is not available"), "navigator.geolocation is not available");
    }

    #[test]
    fn every_message_has_both_languages() {
        for msg in Msg::ALL {
            assert!(!msg.text(Lang::Zh).is_empty(), "{msg:?} has no Chinese text");
            assert!(!msg.text(Lang::En).is_empty(), "{msg:?} has no English text");
        }
    }

    #[test]
    fn placeholders_match_between_languages() {
        for msg in Msg::ALL {
            for i in 0..3 {
                let placeholder = format!("{{{i}}}");
                assert_eq!(
                    msg.text(Lang::Zh).contains(&placeholder),
                    msg.text(Lang::En).contains(&placeholder),
                    "{msg:?} uses {placeholder} in one language only"
                );
            }
        }
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(Msg::FindingTooLong.fill(Lang::En, &["5000", "4000"]), "The findings have 5000 characters; at most 4000 are allowed.");
    }

    #[test]
    fn time_shows_offset() {
        assert_eq!(format_time(time::macros::datetime!(2026-12-04 08:00 +8)), "2026-12-04 08:00 (UTC+08:00)");
    }

    #[test]
    fn age_units() {
        assert_eq!(format_age(Lang::Zh, 30), "1分钟");
        assert_eq!(format_age(Lang::En, 3 * 3600), "3 h");
        assert_eq!(format_age(Lang::Zh, 3 * 86400), "3天");
    }
}
