//! Two processes adding keys to the same vault at the same time lose nothing.

use keyward_e2e::TestVault;
use std::thread;

#[test]
fn two_processes_adding_at_once_lose_nothing() {
    let v = TestVault::new();
    const EACH: usize = 12;
    thread::scope(|s| {
        for who in ["a", "b"] {
            let v = &v;
            s.spawn(move || {
                for i in 0..EACH {
                    v.ok(&["add", &format!("{who}-{i}")], Some(&format!("sk-{who}-{i}")));
                }
            });
        }
    });
    let mut names = v.names();
    names.sort();
    let mut expected: Vec<String> =
        ["a", "b"].iter().flat_map(|who| (0..EACH).map(move |i| format!("{who}-{i}"))).collect();
    expected.sort();
    assert_eq!(names, expected);
    for name in ["a-0", "b-11"] {
        assert_eq!(v.ok(&["get", name], None).trim(), format!("sk-{name}"));
    }
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
