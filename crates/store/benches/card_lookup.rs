//! Card lookup from a device cache holding 100 000 outlets: `LocalStore::cached_card` (sled get,
//! UTF-8 check, JSON decode of the whole card) against a bare sled `get` of the same key, the
//! physical floor, in one run.
//!
//! Criterion reports the means. A second pass over 100 000 random keys prints p50 and p99 of both,
//! because the slow lookups are the ones an officer waiting on a scan notices.
//!
//! Run: `cargo bench -p outlet-store --bench card_lookup`. The cache is built in a temporary folder
//! (about 1 GB) and removed afterwards.

use std::time::Instant;

use criterion::{BenchmarkId, Criterion};
use futures::executor::block_on;
use outlet_core::OutletId;
use outlet_store::{CachedCard, LocalStore, SledKv};
use time::OffsetDateTime;

const OUTLETS: usize = 100_000;

/// Picks keys in a fixed pseudo-random order (a linear congruential step), so both readers see the
/// same sequence.
fn key_order(count: usize) -> impl Iterator<Item = usize> {
    let mut state: u64 = 0x2545_f491;
    std::iter::repeat_with(move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % count
    })
}

fn percentile(sorted: &[f64], share: f64) -> f64 {
    sorted[((sorted.len() as f64 * share) as usize).min(sorted.len() - 1)]
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let kv = SledKv::open(dir.path()).expect("the cache opens");
    let store = LocalStore::new(kv.clone());
    let fetched_at = OffsetDateTime::now_utc();

    let ids: Vec<OutletId> = outlet_server::demo::synthetic_cards(OUTLETS)
        .into_iter()
        .map(|card| {
            let id = card.outlet.id.clone();
            block_on(store.cache_card(&CachedCard { card, fetched_at })).expect("the card is cached");
            id
        })
        .collect();
    let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let tree = kv.raw_tree("cards");
    let bytes: usize = keys.iter().take(1000).map(|key| tree.get(key).unwrap().unwrap().len()).sum();
    println!("cache: {OUTLETS} cards, {:.1} KiB per card on average (first 1000)", bytes as f64 / 1000.0 / 1024.0);

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("card_lookup_100k");
    let mut order = key_order(OUTLETS);
    group.bench_function(BenchmarkId::new("sled_get", "bare bytes"), |b| b.iter(|| tree.get(&keys[order.next().unwrap()]).unwrap().unwrap().len()));
    let mut order = key_order(OUTLETS);
    group.bench_function(BenchmarkId::new("cached_card", "get + decode"), |b| {
        b.iter(|| block_on(store.cached_card(&ids[order.next().unwrap()])).unwrap().unwrap().card.version)
    });
    group.finish();

    // Two separate passes over the same keys in the same order, so neither reader finds the pages
    // the other just brought into memory.
    let mut bare = Vec::with_capacity(OUTLETS);
    for index in key_order(OUTLETS).take(OUTLETS) {
        let start = Instant::now();
        std::hint::black_box(tree.get(&keys[index]).unwrap().unwrap());
        bare.push(start.elapsed().as_secs_f64() * 1e6);
    }
    let mut full = Vec::with_capacity(OUTLETS);
    for index in key_order(OUTLETS).take(OUTLETS) {
        let start = Instant::now();
        std::hint::black_box(block_on(store.cached_card(&ids[index])).unwrap().unwrap());
        full.push(start.elapsed().as_secs_f64() * 1e6);
    }
    bare.sort_by(f64::total_cmp);
    full.sort_by(f64::total_cmp);
    println!("latency over {OUTLETS} random lookups (µs):");
    println!("  sled get      p50 {:8.1}  p99 {:8.1}  max {:8.1}", percentile(&bare, 0.5), percentile(&bare, 0.99), bare[bare.len() - 1]);
    println!("  cached_card   p50 {:8.1}  p99 {:8.1}  max {:8.1}", percentile(&full, 0.5), percentile(&full, 0.99), full[full.len() - 1]);

    criterion.final_summary();
}
