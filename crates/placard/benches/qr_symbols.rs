//! QR symbol generation: this crate's encoder (qrcode, level Q, SVG path) against Debian's
//! `qrencode` command on the same placard URLs, in one run.
//!
//! `qrencode` encodes one symbol per process, so its figure includes starting the process. The
//! ratio shows whether generating 10 000 symbols in-process slower than scripting qrencode, not which
//! encoder core is faster.
//!
//! Run: `cargo bench -p outlet-placard --bench qr_symbols` (needs `apt-get install qrencode`).

use std::process::Command;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Builds a placard URL of the usual length (165 characters), varied by index like a batch of outlets.
fn placard_url(index: usize) -> String {
    format!("HTTPS://HB.EXAMPLE.GOV.CN/O/91350100MB{index:07}4001P-DA001/1.K1.{}", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".repeat(4).chars().take(103).collect::<String>())
}

fn encode_to_svg_path(text: &str) -> usize {
    let code = outlet_placard::encode_qr(text).expect("placard URLs fit");
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % code.width(), i / code.width()));
        }
    }
    path.len()
}

fn qr_symbols(c: &mut Criterion) {
    let urls: Vec<String> = (0..10_000).map(placard_url).collect();
    let mut group = c.benchmark_group("qr_symbol");
    group.throughput(Throughput::Elements(1));

    let mut next = 0;
    group.bench_function(BenchmarkId::new("outlet_placard", "level Q, SVG path"), |b| {
        b.iter(|| {
            next = (next + 1) % urls.len();
            encode_to_svg_path(&urls[next])
        })
    });

    if Command::new("qrencode").arg("--version").output().is_ok() {
        group.sample_size(20);
        group.bench_function(BenchmarkId::new("qrencode_process", "level Q, SVG"), |b| {
            b.iter(|| {
                next = (next + 1) % urls.len();
                let output = Command::new("qrencode").args(["-l", "Q", "-t", "SVG", "-o", "-", &urls[next]]).output().expect("qrencode runs");
                output.stdout.len()
            })
        });
    } else {
        eprintln!("qrencode is not installed (apt-get install qrencode); only this crate's encoder was measured");
    }
    group.finish();
}

criterion_group!(benches, qr_symbols);
criterion_main!(benches);
