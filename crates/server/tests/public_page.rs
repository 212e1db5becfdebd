//! The public page (`/o/{outlet_id}`) over real HTTP from the server on 127.0.0.1 with the demo
//! registry loaded into a real store (see `common::backend`).

mod common;

use outlet_core::card::{LimitValue, SpecialPeriodLimit};
use outlet_core::OutletCard;
use common::backend::Backend;
use outlet_server::{demo, DataDir, RunningServer};
use reqwest::StatusCode;
use time::{Duration, OffsetDateTime};

struct Fixture {
    data: DataDir,
    server: RunningServer,
    _backend: Backend,
}

async fn start() -> Fixture {
    let backend = Backend::new();
    let data = backend.open(true);
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    Fixture { data, server, _backend: backend }
}

impl Fixture {
    async fn page(&self, card: &OutletCard) -> String {
        let response = reqwest::get(format!("{}/o/{}", self.server.url(), card.outlet.id)).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.unwrap()
    }
}

fn paper_mill() -> OutletCard {
    demo::demo_cards().into_iter().find(|card| card.outlet.id.outlet_code.as_str() == "DW001").expect("the demo has a paper mill")
}

fn power_plant_da001() -> OutletCard {
    demo::demo_cards().remove(0)
}

/// Today in China Standard Time, the zone the page's dates are in.
fn today_in_china() -> time::Date {
    OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8)).date()
}

#[tokio::test]
async fn unparsable_query_opens_page() {
    let fixture = start().await;
    let url = format!("{}/o/{}?lang=en&lang=zh", fixture.server.url(), paper_mill().outlet.id);

    let response = reqwest::get(url).await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("lang=\"zh-CN\""), "the page falls back to Chinese");
}

#[tokio::test]
async fn paper_mill_shows_public_penalty_only() {
    let fixture = start().await;
    let card = paper_mill();
    let internal = card.enforcement.iter().find(|action| !action.public).expect("the demo has an internal record");

    let page = fixture.page(&card).await;

    assert!(page.contains("示环罚〔2025〕31号"), "public penalty decision number missing");
    assert!(page.contains("《排污许可管理条例》第三十四条"), "legal article missing");
    assert!(page.contains("200000元"), "fine missing");
    assert!(!page.contains("S-2025-0806-01"), "internal note's sample number leaked");
    assert!(!page.contains("COD 128"), "internal note's measurement leaked");
    assert!(!page.contains(&internal.result), "internal record's result leaked");
    assert!(!page.contains("内部"), "an internal marker or note leaked");
}

#[tokio::test]
async fn page_fits_a_phone() {
    let fixture = start().await;

    let page = fixture.page(&paper_mill()).await;

    assert!(page.contains("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"));
    assert!(page.contains("table-layout:fixed"), "tables must not widen the page");
    assert!(page.contains("overflow-wrap:anywhere"), "long codes must wrap");
    assert!(page.contains("12369"), "hotline missing");
    assert!(page.contains("<html lang=\"zh-CN\">"));
}

#[tokio::test]
async fn permit_and_outlet_details_shown() {
    let fixture = start().await;

    let page = fixture.page(&paper_mill()).await;

    assert!(page.contains("第1版"), "permit version missing");
    assert!(page.contains("<span class=\"nowrap\">2022-09-15</span> 至 <span class=\"nowrap\">2027-09-14</span>"), "validity missing");
    assert!(page.contains("重点管理"), "management class missing");
    assert!(page.contains("青溪（虚构水体）"), "receiving water missing");
    assert!(page.contains("直接排放"), "discharge mode missing");
}

#[tokio::test]
async fn limits_show_hourly_daily_committed() {
    let fixture = start().await;

    let mill = fixture.page(&paper_mill()).await;
    let plant = fixture.page(&power_plant_da001()).await;

    // The demo's COD at the paper mill: hourly 90, daily 80 mg/L, no committed limit.
    assert!(mill.contains("<th>化学需氧量<span class=\"unit\">mg/L</span></th><td class=\"binding\">90</td><td>80</td><td>—</td>"), "{mill}");
    // The demo's SO₂ at the power plant: hourly 50, committed 35 mg/m³, which binds.
    assert!(plant.contains("<th>二氧化硫<span class=\"unit\">mg/m³</span></th><td>50</td><td>—</td><td class=\"binding\">35</td>"));
    assert!(plant.contains("<td class=\"binding\">1级</td>"), "text limit missing");
    assert!(plant.contains("GB 13223-2011"));
}

#[tokio::test]
async fn special_period_in_force_marked() {
    let fixture = start().await;
    let mut card = power_plant_da001();
    let today = today_in_china();
    card.special_periods = vec![
        SpecialPeriodLimit {
            name: "重污染天气橙色预警".into(),
            starts: today - Duration::days(1),
            ends: today + Duration::days(1),
            pollutant: "二氧化硫".into(),
            concentration: Some(LimitValue::Numeric { value: 25.0, unit: "mg/m³".into() }),
            daily_kg: Some(360.0),
            monthly_t: Some(9.5),
        },
        SpecialPeriodLimit {
            name: "已结束的时段".into(),
            starts: today - Duration::days(30),
            ends: today - Duration::days(20),
            pollutant: "二氧化硫".into(),
            concentration: None,
            daily_kg: None,
            monthly_t: None,
        },
    ];
    fixture.data.store.put_card(&card).unwrap();

    let page = fixture.page(&card).await;

    assert!(page.contains("<p class=\"in-force\"><span class=\"marker\">正在执行</span> 今天处于特殊时段：重污染天气橙色预警</p>"), "{page}");
    assert!(page.contains("<div class=\"period now\"><p><strong>重污染天气橙色预警</strong>"));
    assert!(page.contains("<div class=\"period\"><p><strong>已结束的时段</strong></p>"), "an ended period must not be marked");
    assert!(page.contains("<td>25 mg/m³</td><td>360 kg/日</td><td>9.5 t/月</td>"));
}

#[tokio::test]
async fn readings_marked_over_limit() {
    let fixture = start().await;

    let page = fixture.page(&paper_mill()).await;

    assert!(page.contains("<td>化学需氧量</td><td>96 mg/L <strong>超标</strong></td><td>限值 90 mg/L</td>"), "{page}");
    assert!(page.contains("<td>氨氮</td><td>3.1 mg/L</td>"), "a reading within its limit is marked");
}

#[tokio::test]
async fn enforcement_newest_first() {
    let fixture = start().await;
    let mut card = paper_mill();
    let mut older = card.enforcement[0].clone();
    older.date = time::macros::date!(2024 - 04 - 02);
    older.decision_no = Some("示环罚〔2024〕7号".into());
    card.enforcement.insert(0, older);
    fixture.data.store.put_card(&card).unwrap();

    let page = fixture.page(&card).await;

    let newer_at = page.find("示环罚〔2025〕31号").expect("newer decision shown");
    let older_at = page.find("示环罚〔2024〕7号").expect("older decision shown");
    assert!(newer_at < older_at, "the 2025 decision must come before the 2024 one");
}

#[tokio::test]
async fn unit_name_html_escaped() {
    let fixture = start().await;
    let mut card = paper_mill();
    card.unit.name = "<script>alert('x')</script>纸业".into();
    card.limits[0].pollutant = "<b>COD</b>".into();
    fixture.data.store.put_card(&card).unwrap();

    let page = fixture.page(&card).await;

    assert!(!page.contains("<script>alert"), "unit name reached the page unescaped");
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;纸业"));
    assert!(!page.contains("<b>COD</b>"));
    assert!(page.contains("&lt;b&gt;COD&lt;/b&gt;"));
}
