//! Two processes adding keys to the same vault at the same time lose nothing.

use keyward_e2e::TestVault;
use std::thread;

#[test]
fn two_processes_adding_at_once_lose_nothing() {
    let v = TestVault::new();
    const EACH: usize = 12;
    let mut expected = Vec::new();
    let mut merges = 0;
    // Rounds of simultaneous adds until at least one save had to merge the other process's
    // write (the first round nearly always does; more rounds make it certain).
    for round in 0..6 {
        merges += thread::scope(|s| {
            let workers = ["a", "b"].map(|who| {
                let v = &v;
                s.spawn(move || (0..EACH).filter(|i| add_and_report_merge(v, &format!("{who}-{round}-{i}"))).count())
            });
            workers.into_iter().map(|w| w.join().unwrap()).sum::<usize>()
        });
        expected.extend(["a", "b"].iter().flat_map(|who| (0..EACH).map(move |i| format!("{who}-{round}-{i}"))));
        if merges > 0 {
            break;
        }
    }
    assert!(merges > 0, "no save ever met the other process's write");
    let mut names = v.names();
    names.sort();
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(v.ok(&["get", "a-0-0"], None).trim(), "sk-a-0-0");
    assert_eq!(v.ok(&["get", "b-0-11"], None).trim(), "sk-b-0-11");
}

/// Adds `name` (value `sk-NAME`); true when the save had to merge another process's change.
fn add_and_report_merge(v: &TestVault, name: &str) -> bool {
    let out = v.run(&["add", name], Some(&format!("sk-{name}")));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    err.contains("changed by another program")
}

#[test]
fn edits_and_deletes_from_two_processes_at_once_are_merged() {
    let v = TestVault::new();
    for i in 0..8 {
        v.ok(&["add", &format!("k{i}")], Some(&format!("sk-{i}")));
    }
    thread::scope(|s| {
        s.spawn(|| {
            for i in 0..4 {
                v.ok(&["rm", &format!("k{i}")], None);
            }
        });
        s.spawn(|| {
            for i in 4..8 {
                v.ok(&["edit", &format!("k{i}"), "--secret-stdin"], Some(&format!("sk-new-{i}")));
            }
        });
    });
    assert_eq!(v.names(), ["k4", "k5", "k6", "k7"]);
    assert_eq!(v.ok(&["get", "k7"], None).trim(), "sk-new-7");
}
