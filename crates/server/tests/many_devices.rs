//! 100 devices syncing at once: each logs in with its own device key, then all send their frozen
//! inspections, signed with that key, at the same moment through `outlet_sync::SyncClient`, against
//! the real server on 127.0.0.1 with a real store (see `common::backend`).

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use common::backend::Backend;
use common::session::{login_request_from, TestDevice, DEMO_OFFICER};
use outlet_core::fixtures;
use outlet_core::api::Receipt;
use outlet_core::inspection::FrozenInspection;
use outlet_core::OutletId;
use outlet_server::accounts::demo::DEMO_OFFICER_PASSWORD;
use outlet_server::{demo, RunningServer};
use outlet_sync::{SubmitOutcome, SyncClient};

const DEVICES: usize = 100;
const RECORDS_PER_DEVICE: usize = 10;

/// Freezes the records of device `number` on the demo outlets on `device`, as its chain.
fn outbox(device: &TestDevice, outlets: &[OutletId], number: usize) -> Vec<FrozenInspection> {
    let mut outbox: Vec<FrozenInspection> = Vec::with_capacity(RECORDS_PER_DEVICE);
    for record in 0..RECORDS_PER_DEVICE {
        let draft = fixtures::complete_draft(outlets[(number + record) % outlets.len()].clone(), &format!("设备 {number} 的第 {record} 份笔录"));
        let previous = outbox.last().map(|frozen| frozen.sha256.clone());
        outbox.push(device.freeze(&draft, record as u64 + 1, previous));
    }
    outbox
}

/// Logs `device` in as the first demo officer and returns its client.
async fn device_client(url: &str, device: &TestDevice) -> SyncClient {
    let mut client = SyncClient::new(url);
    let session = client.log_in(&login_request_from(device, DEMO_OFFICER, DEMO_OFFICER_PASSWORD)).await.unwrap();
    client.set_token(Some(session.token));
    client
}

/// Sends `outbox` in order, once each, and returns each record's outcome.
async fn send_all(client: &SyncClient, outbox: &[FrozenInspection]) -> Vec<SubmitOutcome> {
    let mut outcomes = Vec::with_capacity(outbox.len());
    for frozen in outbox {
        outcomes.push(client.submit(frozen).await);
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_devices_sync_at_once() {
    let backend = Backend::new();
    let data = backend.open(true);
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let url = server.url();
    let outlets: Vec<OutletId> = demo::demo_cards().into_iter().map(|card| card.outlet.id).collect();

    let mut devices = Vec::with_capacity(DEVICES);
    for number in 0..DEVICES {
        let device = TestDevice::new_random();
        devices.push((device_client(&url, &device).await, outbox(&device, &outlets, number)));
    }

    // Every device waits at the barrier, so all of them start sending at the same moment.
    let start = Arc::new(tokio::sync::Barrier::new(DEVICES));
    let mut tasks = Vec::with_capacity(DEVICES);
    for (client, outbox) in &devices {
        let (client, outbox, start) = (client.clone(), outbox.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            send_all(&client, &outbox).await
        }));
    }
    let mut receipts: Vec<(FrozenInspection, Receipt)> = Vec::with_capacity(DEVICES * RECORDS_PER_DEVICE);
    for ((_, outbox), task) in devices.iter().zip(tasks) {
        for (frozen, outcome) in outbox.iter().zip(task.await.unwrap()) {
            match outcome {
                SubmitOutcome::Acknowledged(receipt) => receipts.push((frozen.clone(), receipt)),
                other => panic!("record {} was not acknowledged: {other:?}", frozen.id),
            }
        }
    }

    assert_eq!(receipts.len(), DEVICES * RECORDS_PER_DEVICE);
    for (frozen, receipt) in &receipts {
        assert!(receipt.acknowledges(frozen.id, &frozen.sha256), "receipt {} does not acknowledge record {}", receipt.receipt_no, frozen.id);
    }
    let receipt_numbers: HashSet<&str> = receipts.iter().map(|(_, receipt)| receipt.receipt_no.as_str()).collect();
    assert_eq!(receipt_numbers.len(), DEVICES * RECORDS_PER_DEVICE, "two records share a receipt number");
    assert_eq!(data.store.inspection_count().unwrap(), DEVICES * RECORDS_PER_DEVICE);
    for (_, outbox) in &devices {
        let chain = data.store.device_chain(outbox[0].device_id).unwrap();
        assert_eq!(chain.len(), RECORDS_PER_DEVICE, "records of device {}", outbox[0].device_id);
        assert_eq!(outlet_server::chain::chain_breaks(&chain), [], "chain of device {}", outbox[0].device_id);
    }

    // Every device resends its whole outbox at once, as after a lost acknowledgement.
    let mut tasks = Vec::with_capacity(DEVICES);
    for (client, outbox) in &devices {
        let (client, outbox) = (client.clone(), outbox.clone());
        tasks.push(tokio::spawn(async move { send_all(&client, &outbox).await }));
    }
    let mut resent = Vec::with_capacity(DEVICES * RECORDS_PER_DEVICE);
    for task in tasks {
        resent.extend(task.await.unwrap());
    }

    assert_eq!(resent.len(), receipts.len());
    for ((frozen, original), outcome) in receipts.iter().zip(resent) {
        assert_eq!(outcome, SubmitOutcome::Acknowledged(original.clone()), "resend of record {}", frozen.id);
    }
    assert_eq!(data.store.inspection_count().unwrap(), DEVICES * RECORDS_PER_DEVICE);

    server.stop().await.unwrap();
}
