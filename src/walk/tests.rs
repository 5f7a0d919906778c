//! The walk's tests.

use super::*;

/// A temporary tree holding `files` (each "report"), directories made
/// as their paths need.
fn tree(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in files {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "report").expect("write");
    }
    dir
}

/// An input as a test compares it: its path below `root`, and why it is
/// broken if it is.
fn shown(root: &Path, input: &Input) -> String {
    let name = input.name();
    let rel = name
        .strip_prefix(&root.display().to_string())
        .unwrap_or(&name);
    match input {
        Input::Broken(_, why) => format!("{rel} ({why})"),
        _ => rel.to_owned(),
    }
}

#[test]
fn walks_depth_first_in_name_order() {
    let dir = tree(&[
        "b/z.txt",
        "b/a.md",
        "a.txt",
        "c.txt/inner.txt",
        "B.txt",
        "b/skip.pdf",
    ]);
    let root = dir.path();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root, root.join("b").join("back")).expect("link");
    let seen: Vec<String> = inputs(vec![root.to_owned()], Filter::default())
        .map(|input| shown(root, &input))
        .collect();
    let mut expected = vec![
        "/B.txt",
        "/a.txt",
        "/b/a.md",
        "/b/back (symbolic link loop; not followed)",
        "/b/z.txt",
        "/c.txt (is a directory, not a report)",
        "/c.txt/inner.txt",
    ];
    if cfg!(not(unix)) {
        expected.retain(|e| !e.contains("back"));
    }
    assert_eq!(seen, expected);
}

#[test]
fn a_configuration_below_the_root_opens_a_scope_for_its_directory() {
    let dir = tree(&[
        "radlint.toml",
        "a.txt",
        "b/.radlint.toml",
        "b/c/radlint.toml",
        "b/c/x.txt",
        "b/c/y.md",
        "b/d/x.txt",
        "b/x.txt",
        "e/radlint.toml/x.txt",
        "e/x.txt",
        "g/radlint.toml/x.md",
        "g/.radlint.toml",
        "f/radlint.toml",
        "f/x.txt",
    ]);
    let root = dir.path();
    let mut opened = Vec::new();
    let seen: Vec<(String, String)> = scoped(
        root.to_owned(),
        "root".to_owned(),
        Filter::default(),
        |file: &Path, outer: &String| {
            let rel = file.strip_prefix(root).expect("below the root");
            opened.push((rel.display().to_string(), outer.clone()));
            match rel.parent().and_then(Path::to_str) {
                // f/ is left in the scope around it.
                Some("f") => Ok(None),
                // c/ keeps only markdown.
                Some(dir) if dir.ends_with('c') => Ok(Some((
                    dir.to_owned(),
                    Filter::new(&[], &["*.txt".into()]).expect("valid"),
                ))),
                Some(dir) => Ok(Some((dir.to_owned(), Filter::default()))),
                None => unreachable!(),
            }
        },
    )
    .map(|(tag, input)| (shown(root, &input), tag))
    .collect();
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    assert_eq!(
        seen,
        pairs(&[
            ("/a.txt", "root"),
            ("/b/c/y.md", "b/c"),
            ("/b/d/x.txt", "b"),
            ("/b/x.txt", "b"),
            ("/e/radlint.toml/x.txt", "root"),
            ("/e/x.txt", "root"),
            ("/f/x.txt", "root"),
            ("/g/radlint.toml/x.md", "g"),
        ])
    );
    // `.radlint.toml` counts; the root's file and a directory named like
    // one do not (g/ has both: its file is the one that counts); the
    // nested scope is asked with its enclosing tag.
    assert_eq!(
        opened,
        pairs(&[
            ("b/.radlint.toml", "root"),
            ("b/c/radlint.toml", "b"),
            ("f/radlint.toml", "root"),
            ("g/.radlint.toml", "root"),
        ])
    );
    // An error stops the walk where it is.
    let stopped: Vec<String> = scoped(
        root.to_owned(),
        (),
        Filter::default(),
        |_: &Path, _: &()| Err(()),
    )
    .map(|((), input)| input.name())
    .collect();
    assert_eq!(stopped, [root.join("a.txt").display().to_string()]);
}

#[test]
fn an_error_walkdir_gives_without_a_path_is_named_or_is_the_listing() {
    let dir = tree(&["here.txt", "sub/x.txt"]);
    let root = dir.path();
    let why = || "input/output error".to_owned();
    // No link there to a directory that cannot be opened: the listing.
    assert_eq!(
        shown(root, &unnamed(root, 0, why())),
        " (listing stopped early (input/output error); the rest not walked)"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let sub = root.join("sub");
        for name in ["b-link", "a-link"] {
            std::os::unix::fs::symlink(&sub, root.join(name)).expect("link");
        }
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        let locked_out = std::fs::File::open(&sub).is_err();
        let seen: Vec<String> = (0..3)
            .map(|nth| shown(root, &unnamed(root, nth, why())))
            .collect();
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        // Root opens a directory of mode 000: then no link is one that
        // cannot be opened (the differential test below runs as nobody).
        if locked_out {
            assert_eq!(
                seen,
                [
                    "/a-link (input/output error)",
                    "/b-link (input/output error)",
                    " (listing stopped early (input/output error); the rest not walked)",
                ]
            );
        }
    }
}

/// The differential test, run again as `nobody` when the test runs
/// privileged (so that a directory of mode 000 keeps the walk out).
#[cfg(unix)]
const AS_NOBODY: &str = "RADLINT_WALK_TEST_AS_NOBODY";

/// The walk of a tree holding every case it must answer for agrees, entry
/// for entry (paths in order, why each broken one is, the scope each
/// carries), with a plain recursive listing written here with `std::fs`.
#[cfg(unix)]
#[test]
fn the_walk_agrees_with_a_plain_recursive_listing() {
    use std::os::unix::process::CommandExt;
    if differential() {
        return;
    }
    // Privileged (root, as CI runs): mode 000 does not keep it out, and the
    // two listings agree on reading those directories. Run this test again
    // as `nobody`, where it does.
    assert!(
        std::env::var_os(AS_NOBODY).is_none(),
        "as nobody, a directory of mode 000 could still be read"
    );
    let exe = std::env::current_exe().expect("the test binary");
    let name = "walk::tests::the_walk_agrees_with_a_plain_recursive_listing";
    let run = std::process::Command::new(exe)
        .args(["--exact", name, "--test-threads=1"])
        .env(AS_NOBODY, "1")
        .env("TMPDIR", "/tmp")
        .uid(65534)
        .gid(65534)
        .output();
    match run {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() && text.contains("1 passed"),
                "as nobody: {text}"
            );
        }
        // Cannot become nobody (or nobody cannot run the test binary): the
        // unreadable cases were read, as a privileged user reads them.
        Err(e) => eprintln!("not run again as nobody: {e}"),
    }
}

/// Build the tree, walk it both ways and compare; true when the
/// directories of mode 000 kept this process out (it is not privileged).
#[cfg(unix)]
fn differential() -> bool {
    use std::collections::HashMap;
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let file = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    for rel in [
        "a.txt",
        "B.md",
        "UPPER.TXT",
        "\u{c4}.markdown",
        "notes.pdf",
        "x.txt/inner.md",
        "nested/r1.txt",
        "nested/r1.markdown",
        "nested/deeper/r2.txt",
        "nested/deeper/r3.md",
        "nested/deeper/r4.markdown",
        "nested/plain/r5.md",
        "nested/odd.txt/r6.txt",
        "nested/odd.txt/r6.md",
        "z/radlint.toml/r7.txt",
        "locked/secret.txt",
        "hidden.txt",
    ] {
        file(rel, "report");
    }
    // A configuration's text is the name glob it excludes.
    file("nested/radlint.toml", "*.markdown");
    file("nested/deeper/.radlint.toml", "*.md");
    file("nested/odd.txt/radlint.toml", "*.txt");
    // Traversable but not listable: its configuration is never reached.
    file("blind/radlint.toml", "*.txt");
    file("blind/r8.txt", "report");
    std::fs::create_dir(root.join("links")).expect("mkdir");
    for (target, link) in [
        ("../a.txt", "links/to-file.txt"),
        ("../nested/plain", "links/to-dir"),
        ("..", "links/loop.md"),
        ("../missing", "links/dangling.txt"),
        ("../missing", "links/dangling.pdf"),
        ("../locked", "links/to-locked"),
        ("../locked", "links/to-locked-too"),
    ] {
        symlink(target, root.join(link)).expect("link");
    }
    let _socket = std::os::unix::net::UnixListener::bind(root.join("socket.txt")).expect("bind");
    /// Gives the modes back before the tree is removed.
    struct Unlock(Vec<PathBuf>);
    impl Drop for Unlock {
        fn drop(&mut self) {
            for path in &self.0 {
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
            }
        }
    }
    let unlock = Unlock(vec![
        root.join("locked"),
        root.join("blind"),
        root.join("hidden.txt"),
    ]);
    for (path, mode) in unlock.0.iter().zip([0o000, 0o111, 0o000]) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    let locked_out = std::fs::read_dir(root.join("locked")).is_err();

    let line = |path: &Path, why: Option<&str>, tag: &str| {
        let rel = path.strip_prefix(root).expect("below the root").display();
        match why {
            Some(why) => format!("/{rel} ({why}) [{tag}]"),
            None => format!("/{rel} [{tag}]"),
        }
    };
    // The walk, each configuration's scope tagged with its directory.
    let mut filters = HashMap::from([(String::new(), Filter::default())]);
    let walked: Vec<String> = scoped(
        root.to_owned(),
        String::new(),
        Filter::default(),
        |config: &Path, outer: &String| {
            let dir = config.parent().expect("a directory");
            let glob = std::fs::read_to_string(config).map_err(|_| ())?;
            let tag = dir.strip_prefix(root).expect("below").display().to_string();
            let filter = filters[outer]
                .clone()
                .with_config(dir, &[], &[glob])
                .expect("valid");
            filters.insert(tag.clone(), filter.clone());
            Ok(Some((tag, filter)))
        },
    )
    .map(|(tag, input)| match &input {
        Input::File(path) => line(path, None, &tag),
        Input::Broken(path, why) => line(path, Some(why), &tag),
        Input::Stdin => unreachable!(),
    })
    .collect();

    // The plain listing: read, sort, and for each entry follow it.
    struct Scope {
        tag: String,
        excluded: Vec<String>,
    }
    fn list(
        dir: &Path,
        depth: usize,
        ancestors: &mut Vec<(u64, u64)>,
        scope: &Scope,
        out: &mut Vec<(PathBuf, Option<String>, String)>,
        root: &Path,
    ) {
        use std::os::unix::fs::MetadataExt;
        let mut names: Vec<OsString> = match std::fs::read_dir(dir) {
            Ok(listing) => listing.map(|e| e.expect("an entry").file_name()).collect(),
            Err(e) => return out.push((dir.to_owned(), Some(describe(&e)), scope.tag.clone())),
        };
        names.sort();
        let config = ["radlint.toml", ".radlint.toml"]
            .iter()
            .map(|name| dir.join(name))
            .find(|file| depth > 0 && file.is_file());
        let inner;
        let scope = match config {
            Some(config) => {
                let glob = std::fs::read_to_string(config).expect("readable");
                let mut excluded = scope.excluded.clone();
                excluded.push(glob.trim_start_matches('*').to_owned());
                let tag = dir.strip_prefix(root).expect("below").display().to_string();
                inner = Scope { tag, excluded };
                &inner
            }
            None => scope,
        };
        for name in names {
            let path = dir.join(&name);
            let text = name.to_string_lossy();
            let wanted = ["txt", "md", "markdown"].iter().any(|ext| {
                let lower = text.to_lowercase();
                lower.ends_with(&format!(".{ext}"))
            }) && !scope
                .excluded
                .iter()
                .any(|end| text.ends_with(end.as_str()));
            let mut put = |why: Option<&str>| {
                out.push((path.clone(), why.map(str::to_owned), scope.tag.clone()));
            };
            let meta = match std::fs::metadata(&path) {
                Ok(meta) => meta,
                Err(e) => {
                    put(Some(&describe(&e)));
                    continue;
                }
            };
            if meta.is_dir() {
                let id = (meta.dev(), meta.ino());
                if ancestors.contains(&id) {
                    put(Some("symbolic link loop; not followed"));
                    continue;
                }
                if wanted {
                    put(Some("is a directory, not a report"));
                }
                ancestors.push(id);
                list(&path, depth + 1, ancestors, scope, out, root);
                ancestors.pop();
            } else if wanted {
                put((!meta.is_file()).then_some("not a regular file"));
            }
        }
    }
    let mut listed = Vec::new();
    let top = Scope {
        tag: String::new(),
        excluded: Vec::new(),
    };
    let meta = std::fs::metadata(root).expect("the root");
    let mut ancestors = vec![(
        std::os::unix::fs::MetadataExt::dev(&meta),
        std::os::unix::fs::MetadataExt::ino(&meta),
    )];
    list(root, 0, &mut ancestors, &top, &mut listed, root);
    let listed: Vec<String> = listed
        .iter()
        .map(|(path, why, tag)| line(path, why.as_deref(), tag))
        .collect();
    assert_eq!(walked, listed);

    // The cases are there to be compared.
    for case in [
        "/a.txt []",
        "/x.txt (is a directory, not a report) []",
        "/x.txt/inner.md []",
        "/links/loop.md (symbolic link loop; not followed) []",
        "/links/dangling.pdf (no such file or directory (or a dangling link)) []",
        "/links/to-dir/r5.md []",
        "/links/to-file.txt []",
        "/socket.txt (not a regular file) []",
        "/hidden.txt []",
        "/nested/deeper/r2.txt [nested/deeper]",
        "/nested/odd.txt (is a directory, not a report) [nested]",
        "/nested/odd.txt/r6.md [nested/odd.txt]",
        "/nested/plain/r5.md [nested]",
        "/z/radlint.toml/r7.txt []",
    ] {
        assert!(walked.iter().any(|w| w == case), "{case} in {walked:#?}");
    }
    if locked_out {
        for case in [
            "/blind (permission denied) []",
            "/links/to-locked (permission denied) []",
            "/links/to-locked-too (permission denied) []",
            "/locked (permission denied) []",
        ] {
            assert!(walked.iter().any(|w| w == case), "{case} in {walked:#?}");
        }
    }
    drop(unlock);
    locked_out
}

#[test]
fn globs_match_names_or_relative_paths() {
    let f =
        Filter::new(&["*.txt".into()], &["drafts/**".into(), "*-old.txt".into()]).expect("valid");
    let wants = |rel: &str| f.wants(Path::new("/root"), Path::new(rel));
    assert!(wants("2024/a.txt"));
    assert!(!wants("2024/a.md"));
    assert!(!wants("drafts/a.txt"));
    assert!(!wants("2024/a-old.txt"));
    assert!(Filter::new(&["[".into()], &[]).is_err());
    // In a path glob `*` matches `/` too: `drafts/*` is the whole tree.
    let g = Filter::new(&[], &["drafts/*".into()]).expect("valid");
    assert!(!g.wants(Path::new("/root"), Path::new("drafts/2024/a.txt")));
    assert!(g.wants(Path::new("/root"), Path::new("drafts.txt")));
}

#[test]
fn configuration_globs_are_anchored_at_its_directory() {
    let f = Filter::new(&[], &[])
        .and_then(|f| {
            f.with_config(
                Path::new("/repo"),
                &["reports/**".into()],
                &["*.bak.md".into()],
            )
        })
        .expect("valid");
    // Walking /repo/reports: the walk-relative path is "2024/a.md".
    assert!(f.wants(Path::new("/repo/reports"), Path::new("2024/a.md")));
    assert!(!f.wants(Path::new("/repo/reports"), Path::new("2024/a.bak.md")));
    assert!(!f.wants(Path::new("/repo/other"), Path::new("a.md")));
    // The command line's include replaces the file's.
    let g = Filter::new(&["*.md".into()], &[])
        .and_then(|f| f.with_config(Path::new("/repo"), &["reports/**".into()], &[]))
        .expect("valid");
    assert!(g.wants(Path::new("/repo/other"), Path::new("a.md")));
}
