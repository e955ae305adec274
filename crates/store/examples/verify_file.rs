//! Times `EventStore::verify` on an existing database: `verify_file sqlite:PATH [runs]`.
//! Prints events/s and the process CPU time per event (Linux `/proc/self/stat`).

use std::time::Instant;

use redmud_store::EventStore;

fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("usage: verify_file sqlite:PATH [runs]")?;
    let runs: usize = args.next().map_or(Ok(3), |r| r.parse())?;
    let store = EventStore::connect(&url).await?;
    let replay = args.next().is_some_and(|mode| mode == "replay");
    for _ in 0..runs {
        let cpu = cpu_seconds();
        if replay {
            let t = Instant::now();
            let mut from = 1;
            let mut events = 0;
            let mut total = 0_i64;
            loop {
                let page = store
                    .read_all(from, &redmud_store::Filter::all(), 5_000)
                    .await?;
                let Some(last) = page.last() else { break };
                from = last.position + 1;
                events += page.len();
                for e in &page {
                    total += e.payload["n"].as_i64().unwrap_or(0);
                }
            }
            let seconds = t.elapsed().as_secs_f64();
            let cpu = match (cpu, cpu_seconds()) {
                (Some(a), Some(b)) => format!("{:.2} µs CPU/event", (b - a) * 1e6 / events as f64),
                _ => String::new(),
            };
            println!(
                "replay-all: {events} events in {seconds:.3} s = {:.0}/s, {cpu} ({total})",
                events as f64 / seconds
            );
            continue;
        }
        let t = Instant::now();
        let report = store.verify().await?;
        let seconds = t.elapsed().as_secs_f64();
        let cpu = match (cpu, cpu_seconds()) {
            (Some(a), Some(b)) => {
                format!("{:.2} µs CPU/event", (b - a) * 1e6 / report.checked as f64)
            }
            _ => String::new(),
        };
        println!(
            "verify: {} events in {seconds:.3} s = {:.0}/s, {cpu}, intact {}",
            report.checked,
            report.checked as f64 / seconds,
            report.is_intact()
        );
    }
    store.close().await;
    Ok(())
}
