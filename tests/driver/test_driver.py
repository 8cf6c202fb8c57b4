#!/usr/bin/env python3
"""Tests of the `warpsynth` dataset driver (examples/driver/), run against the built binary.

    test_driver.py WARPSYNTH_BINARY [TEST ...]      # all tests, or the named ones
    test_driver.py --list

Python 3 standard library only. Each test runs in a fresh temporary directory. A test that cannot run here
(no zstd in the binary, no `unshare` for a real full-disk test, ...) prints SKIP and passes; meson reports it
as passed (exit 77 is used only when every requested test was skipped).
"""
import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BIN = None
TESTS = {}


class Skip(Exception):
    pass


def test(fn):
    TESTS[fn.__name__.removeprefix("test_")] = fn
    return fn


def run(*args, env=None, timeout=600, stderr_tty=False):
    full_env = dict(os.environ)
    for k in ("WARPSYNTH_TEST_KILL_AFTER", "WARPSYNTH_TEST_DISK_LIMIT"):
        full_env.pop(k, None)
    if env:
        full_env.update(env)
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, env=full_env, timeout=timeout)


def gen(out, *args, env=None, expect=0):
    p = run("generate", "-o", out, "--no-progress", *args, env=env)
    if expect is not None and p.returncode != expect:
        raise AssertionError(f"generate {' '.join(map(str, args))}: exit {p.returncode}, expected {expect}\n"
                             f"stdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def data_files(d):
    """{name: bytes} of the data files (JSONL files, or seed-json directories flattened as name/file)."""
    out = {}
    for name in sorted(os.listdir(d)):
        if not name.startswith("data-"):
            continue
        p = os.path.join(d, name)
        if os.path.isdir(p):
            for f in sorted(os.listdir(p)):
                out[name + "/" + f] = open(os.path.join(p, f), "rb").read()
        else:
            out[name] = open(p, "rb").read()
    return out


def concat(d):
    return b"".join(v for _, v in sorted(data_files(d).items()))


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def listing(d):
    """Every path under d (relative), for 'nothing written' checks."""
    if not os.path.exists(d):
        return None
    out = []
    for root, dirs, files in os.walk(d):
        for n in dirs + files:
            out.append(os.path.relpath(os.path.join(root, n), d))
    return sorted(out)


def categories():
    p = run("categories")
    check(p.returncode == 0, "categories failed")
    names = [line.split()[0] for line in p.stdout.splitlines() if line.strip()]
    check(names, "no categories listed")
    return names


def lines_of(path):
    return read(path, "rb").decode("utf-8").splitlines(keepends=True)


# ------------------------------------------------------------------------------------------------------------------
# Determinism


@test
def test_threads_identical(tmp):
    """--threads 1, 2 and 3 write identical bytes (data files, stats.json, README.md)."""
    outs = []
    for t in (1, 2, 3):
        d = os.path.join(tmp, f"t{t}")
        gen(d, "-n", 700, "-s", 11, "--records-per-file", 100, "--threads", t)
        outs.append(d)
    ref = data_files(outs[0])
    check(len(ref) == 7, f"expected 7 data files, got {sorted(ref)}")
    for d in outs[1:]:
        check(data_files(d) == ref, f"{d}: data files differ from --threads 1")
        for f in ("stats.json", "README.md", ".warpsynth.json"):
            check(read(os.path.join(d, f), "rb") == read(os.path.join(outs[0], f), "rb"), f"{d}/{f} differs")


@test
def test_shards_identical(tmp):
    """Shards 0/3, 1/3, 2/3 together hold exactly the single run's files; concatenated in order, the same bytes."""
    single = os.path.join(tmp, "single")
    gen(single, "-n", 650, "-s", 5, "--records-per-file", 100, "--threads", 2)
    ref = data_files(single)
    check(sorted(ref) == [f"data-{i:05d}.jsonl" for i in range(7)], f"unexpected files {sorted(ref)}")
    merged, total = {}, 0
    for k in range(3):
        d = os.path.join(tmp, f"shard{k}")
        p = gen(d, "-n", 650, "-s", 5, "--records-per-file", 100, "--shard", f"{k}/3", "--threads", 1 + k % 2)
        check(f"shard {k}/3" in p.stdout, f"summary does not name the shard: {p.stdout}")
        files = data_files(d)
        check(files, f"shard {k} wrote nothing")
        check(not set(files) & set(merged), f"shard {k} overlaps an earlier shard")
        merged.update(files)
        total += json.loads(read(os.path.join(d, "stats.json")))["records"]
    check(merged == ref, "the shards' files differ from the single run's")
    check(b"".join(merged[n] for n in sorted(merged)) == concat(single), "concatenation differs")
    check(total == 650, f"shard stats count {total} records, expected 650")
    # More shards than files: an empty shard is fine.
    d = os.path.join(tmp, "empty")
    gen(d, "-n", 650, "-s", 5, "--records-per-file", 100, "--shard", "0/10")
    check(data_files(d) == {}, "shard 0/10 of 7 files should be empty")
    check(json.loads(read(os.path.join(d, "stats.json")))["records"] == 0, "empty shard stats")


# ------------------------------------------------------------------------------------------------------------------
# Record format


def check_record(line, seed, index, cats, device):
    rec = json.loads(line)
    check(json.dumps(rec, ensure_ascii=False) + "\n" == line, f"record {seed}-{index} is not json.dumps' bytes")
    keys = ["id", "kernel_name", "category", "python_source"]
    if device in ("cpu", "both"):
        keys += ["cpu_forward", "cpu_backward"]
    if device in ("cuda", "both"):
        keys += ["cuda_forward", "cuda_backward"]
    keys.append("metadata")
    check(list(rec) == keys, f"fields {list(rec)}, expected {keys}")
    check(rec["id"] == f"{seed}-{index}", f"id {rec['id']} at index {index}")
    check(rec["category"] == cats[index % len(cats)], f"record {index}: category {rec['category']}")
    check(rec["python_source"].startswith("import warp as wp\n"), "python_source is not a module")
    check(f"def {rec['kernel_name']}(" in rec["python_source"], "kernel_name not defined in python_source")
    for dev in ("cpu", "cuda"):
        if dev + "_forward" in rec:
            check(isinstance(rec[dev + "_forward"], str), f"{dev}_forward not a string")
            check(rec[dev + "_backward"] is None or isinstance(rec[dev + "_backward"], str), "backward type")
    m = rec["metadata"]
    check(list(m) == ["seed", "index", "warp_version", "generator", "arg_types", "builtins", "description", "shape"],
          f"metadata fields {list(m)}")
    check(m["seed"] == seed and m["index"] == index, "metadata seed/index")
    check(m["warp_version"] == "1.16.0", f"warp_version {m['warp_version']}")
    check(m["generator"].startswith("warpsynth "), f"generator {m['generator']}")
    check(isinstance(m["arg_types"], dict) and all(isinstance(v, str) for v in m["arg_types"].values()), "arg_types")
    check(m["builtins"] == sorted(set(m["builtins"])), "builtins not sorted/unique")
    check(all(b in rec["python_source"] for b in m["builtins"]), "a listed builtin is not in the source")
    check(isinstance(m["description"], str) and isinstance(m["shape"], str), "description/shape")
    return rec


@test
def test_record_format(tmp):
    """Every line is json.dumps(record, ensure_ascii=False); fields, order, ids and category rotation."""
    cats = categories()
    sub = list(reversed(cats[:3])) if len(cats) > 1 else cats
    for device in ("both", "cpu", "cuda"):
        d = os.path.join(tmp, device)
        args = ["-n", 60, "-s", 42, "-d", device, "--records-per-file", 25]
        if device != "both":
            args += ["-c", ",".join(sub)]
        gen(d, *args)
        use = cats if device == "both" else sub
        index = 0
        for name in sorted(os.listdir(d)):
            if name.startswith("data-"):
                for line in lines_of(os.path.join(d, name)):
                    check_record(line, 42, index, use, device)
                    index += 1
        check(index == 60, f"{index} records, expected 60")


@test
def test_seed_json(tmp):
    """--format seed-json: one pretty JSON file per record, {python_source, cpp_forward|cuda_forward, metadata}."""
    d, j = os.path.join(tmp, "seed"), os.path.join(tmp, "jsonl")
    gen(d, "-n", 30, "-s", 3, "--records-per-file", 10, "--format", "seed-json")
    gen(j, "-n", 30, "-s", 3, "--records-per-file", 10)
    jsonl = {}
    for name in sorted(os.listdir(j)):
        if name.startswith("data-"):
            for line in lines_of(os.path.join(j, name)):
                r = json.loads(line)
                jsonl[r["id"]] = r
    dirs = sorted(n for n in os.listdir(d) if n.startswith("data-"))
    check(dirs == ["data-00000", "data-00001", "data-00002"], f"seed-json directories {dirs}")
    count = 0
    for sub in dirs:
        for f in sorted(os.listdir(os.path.join(d, sub))):
            text = read(os.path.join(d, sub, f))
            obj = json.loads(text)
            check(json.dumps(obj, indent=2, ensure_ascii=False) + "\n" == text, f"{sub}/{f} is not indent=2 json")
            check(list(obj) == ["python_source", "cpp_forward", "cuda_forward", "metadata"], f"keys {list(obj)}")
            m = obj["metadata"]
            check(f == m["id"] + ".json", f"file name {f} vs id {m['id']}")
            ref = jsonl[m["id"]]
            check(obj["python_source"] == ref["python_source"], "python_source differs from JSONL")
            check(obj["cpp_forward"] == ref["cpu_forward"], "cpp_forward differs from JSONL cpu_forward")
            check(obj["cuda_forward"] == ref["cuda_forward"], "cuda_forward differs")
            for k in ("kernel_name", "category"):
                check(m[k] == ref[k], f"metadata.{k}")
            for k, v in ref["metadata"].items():
                check(m[k] == v, f"metadata.{k}")
            count += 1
    check(count == 30, f"{count} files")
    check('path: "data-*/*.json"' in read(os.path.join(d, "README.md")), "card data_files for seed-json")
    # Device cpu: cpp_forward only.
    c = os.path.join(tmp, "cpu")
    gen(c, "-n", 3, "--format", "seed-json", "-d", "cpu")
    obj = json.loads(read(os.path.join(c, "data-00000", "0-0.json")))
    check(list(obj) == ["python_source", "cpp_forward", "metadata"], f"cpu keys {list(obj)}")
    # validate/stats read JSONL only: a clear usage error.
    p = run("validate", d)
    check(p.returncode == 2 and "seed-json" in p.stderr, f"validate seed-json: {p.returncode} {p.stderr}")


@test
def test_dataset_card(tmp):
    d = os.path.join(tmp, "o")
    gen(d, "-n", 20, "-s", 9, "-d", "cuda")
    card = read(os.path.join(d, "README.md"))
    check(card.startswith("---\n"), "card has no YAML header")
    header = card.split("\n---\n", 1)[0]
    for needle in ("license: apache-2.0", "configs:", "data_files:", 'path: "data-*.jsonl"', "split: train",
                   'generator: "warpsynth ', 'warp_version: "1.16.0"', "seed: 9", "count: 20", "device: cuda",
                   "fields: [id, kernel_name, category, python_source, cuda_forward, cuda_backward, metadata]"):
        check(needle in header, f"card header lacks {needle!r}")
    check("## Fields" in card and "`cuda_backward`" in card and "`cpu_forward`" not in card, "card fields table")
    p = run("generate", "--help")
    check(p.returncode == 0 and "--shard" in p.stdout, "generate --help")


@test
def test_summary_and_progress(tmp):
    d = os.path.join(tmp, "a")
    p = gen(d, "-n", 300, "--records-per-file", 100)
    check(p.stderr == "", f"--no-progress wrote to stderr: {p.stderr!r}")
    check("300 records" in p.stdout and "records/s" in p.stdout, f"summary: {p.stdout}")
    # Forced progress on a pipe: plain lines.
    p = run("generate", "-o", os.path.join(tmp, "b"), "-n", 300, "--progress")
    check(p.returncode == 0 and "records/s" in p.stderr and "ETA" in p.stderr, f"--progress: {p.stderr!r}")
    # Default on a pipe: no progress.
    p = run("generate", "-o", os.path.join(tmp, "c"), "-n", 300)
    check(p.returncode == 0 and p.stderr == "", f"default progress on a pipe: {p.stderr!r}")
    # On a terminal: a line rewritten in place.
    master, slave = pty.openpty()
    proc = subprocess.Popen([BIN, "generate", "-o", os.path.join(tmp, "d"), "-n", "300"], stdout=subprocess.PIPE,
                            stderr=slave)
    os.close(slave)
    got = b""
    while True:
        r, _, _ = select.select([master], [], [], 60)
        if not r:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        got += chunk
    proc.wait(60)
    os.close(master)
    check(proc.returncode == 0, "tty run failed")
    check(b"\r" in got and b"records/s" in got and b"ETA" in got, f"no progress line on a tty: {got!r}")


# ------------------------------------------------------------------------------------------------------------------
# Resume


def reference(tmp, *args):
    d = os.path.join(tmp, "reference")
    gen(d, *args)
    return d


def same_dataset(a, b):
    check(data_files(a) == data_files(b), f"{b}: data files differ from {a}")
    for f in ("stats.json", "README.md", ".warpsynth.json"):
        check(read(os.path.join(a, f), "rb") == read(os.path.join(b, f), "rb"), f"{b}/{f} differs")
    check(not [n for n in os.listdir(b) if n.endswith(".tmp")], f"{b}: temporary files left")


@test
def test_resume_after_kill(tmp):
    """Killed mid-record (test hook), --resume finishes with the same bytes; no torn, lost or duplicated record."""
    args = ["-n", 500, "-s", 77, "--records-per-file", 100, "--threads", 2]
    ref = reference(tmp, *args)
    d = os.path.join(tmp, "killed")
    p = gen(d, *args, env={"WARPSYNTH_TEST_KILL_AFTER": "250"}, expect=None)
    check(p.returncode == -signal.SIGKILL, f"expected SIGKILL, got exit {p.returncode}")
    names = sorted(os.listdir(d))
    check("data-00000.jsonl" in names and "data-00001.jsonl" in names, f"complete files missing: {names}")
    check("data-00002.jsonl" not in names and ".data-00002.jsonl.tmp" in names, f"unexpected files: {names}")
    torn = read(os.path.join(d, ".data-00002.jsonl.tmp"), "rb")
    check(torn and not torn.endswith(b"\n"), "the temporary file should end in a torn record")
    check("stats.json" not in names, "stats.json written by a killed run")
    # Without --resume: refused, nothing touched.
    before = listing(d)
    p = gen(d, *args, expect=2)
    check(listing(d) == before, "a refused run changed the directory")
    # Resume with other parameters: refused.
    p = gen(d, "-n", 500, "-s", 78, "--records-per-file", 100, "--resume", expect=2)
    check("different parameters" in p.stderr and "seed 77 -> 78" in p.stderr, f"message: {p.stderr}")
    check(listing(d) == before, "a refused resume changed the directory")
    p = gen(d, *args, "--resume")
    check("2 complete file(s) kept" in p.stdout, f"summary: {p.stdout}")
    same_dataset(ref, d)
    # Resuming a complete dataset writes nothing and changes nothing.
    p = gen(d, *args[:-2], "--threads", 1, "--resume")
    check("0 written" in p.stdout, f"summary: {p.stdout}")
    same_dataset(ref, d)
    # An incomplete "complete" file (e.g. truncated by hand) is detected and rewritten.
    path = os.path.join(d, "data-00003.jsonl")
    data = read(path, "rb")
    with open(path, "wb") as f:
        f.write(data[: len(data) // 2])
    p = gen(d, *args, "--resume")
    check("incomplete" in p.stderr, f"no notice for the truncated file: {p.stderr}")
    same_dataset(ref, d)


@test
def test_resume_after_sigkill(tmp):
    """A real kill -9 from outside while files are being written, then --resume."""
    args = ["-n", 12000, "-s", 5, "--records-per-file", 500, "--threads", 2]
    ref = reference(tmp, *args)
    d = os.path.join(tmp, "killed")
    proc = subprocess.Popen([BIN, "generate", "-o", d, "--no-progress", *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if os.path.exists(os.path.join(d, "data-00003.jsonl")):
            break
        time.sleep(0.005)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    p = gen(d, *args, "--resume")
    same_dataset(ref, d)
    if not killed:
        raise Skip("the run finished before it could be killed (resume of a complete run checked)")


@test
def test_resume_seed_json(tmp):
    args = ["-n", 40, "-s", 8, "--records-per-file", 10, "--format", "seed-json", "--threads", 2]
    ref = reference(tmp, *args)
    d = os.path.join(tmp, "killed")
    p = gen(d, *args, env={"WARPSYNTH_TEST_KILL_AFTER": "25"}, expect=None)
    check(p.returncode == -signal.SIGKILL, f"expected SIGKILL, got {p.returncode}")
    check(os.path.isdir(os.path.join(d, ".data-00002.tmp")), f"{sorted(os.listdir(d))}")
    gen(d, *args, "--resume")
    same_dataset(ref, d)


# ------------------------------------------------------------------------------------------------------------------
# Bad input and faults


@test
def test_bad_inputs(tmp):
    """Each bad input: exit 2, one error line, nothing written."""
    cats = categories()
    out = os.path.join(tmp, "out")
    cases = [
        (["-n", 10, "-c", "no_such_category"], "unknown category"),
        (["-n", 10, "-c", f"{cats[0]},{cats[0]}"], "listed twice"),
        (["-n", 10, "--bogus-flag"], "bogus"),
        (["-n", 0], "--count"),
        (["-n", -5], "--count"),
        (["-n", "abc"], "--count"),
        (["-n", "1.5"], "--count"),
        ([], "count"),
        (["-n", 10, "--shard", "3/3"], "--shard"),
        (["-n", 10, "--shard", "1"], "--shard"),
        (["-n", 10, "--shard", "a/b"], "--shard"),
        (["-n", 10, "--shard", "-1/2"], "--shard"),
        (["-n", 10, "--shard", "0/0"], "--shard"),
        (["-n", 10, "-d", "gpu"], "--device"),
        (["-n", 10, "--format", "xml"], "--format"),
        (["-n", 10, "--threads", 0], "--threads"),
        (["-n", 10, "--records-per-file", 0], "--records-per-file"),
        (["-n", 10, "-s", -1], "--seed"),
        (["-n", 10, "-s", 2**53], "--seed"),
        (["-n", 10, "--compress", "lz4"], "--compress"),
        (["-n", 10, "--force", "--resume"], "exclude"),
        (["-n", 10, "--progress", "--no-progress"], "exclude"),
    ]
    for args, needle in cases:
        p = run("generate", "-o", out, *args)
        where = f"generate {' '.join(map(str, args))}"
        check(p.returncode == 2, f"{where}: exit {p.returncode}, expected 2 ({p.stderr!r})")
        check(p.stderr.count("\n") == 1 and p.stderr.startswith("warpsynth: error: "), f"{where}: {p.stderr!r}")
        check(needle in p.stderr, f"{where}: {needle!r} not in {p.stderr!r}")
        check(not os.path.exists(out), f"{where}: created the output directory")
        check(p.stdout == "", f"{where}: wrote to stdout")
    # Missing -o, no subcommand, unknown subcommand.
    for args in (["generate", "-n", 5], [], ["frobnicate"]):
        p = run(*args)
        check(p.returncode == 2 and p.stderr.startswith("warpsynth: error: ") and p.stderr.count("\n") == 1,
              f"{args}: {p.returncode} {p.stderr!r}")
    # Non-empty directory without --force/--resume.
    nonempty = os.path.join(tmp, "nonempty")
    os.makedirs(nonempty)
    with open(os.path.join(nonempty, "notes.txt"), "w") as f:
        f.write("keep me\n")
    p = run("generate", "-o", nonempty, "-n", 10)
    check(p.returncode == 2 and "not empty" in p.stderr, f"non-empty: {p.returncode} {p.stderr!r}")
    check(listing(nonempty) == ["notes.txt"], "non-empty directory changed")
    # --resume there: not a warpsynth directory.
    p = run("generate", "-o", nonempty, "-n", 10, "--resume")
    check(p.returncode == 2 and "not a warpsynth output directory" in p.stderr, f"resume foreign: {p.stderr!r}")
    # --force keeps foreign files and writes the dataset.
    p = run("generate", "-o", nonempty, "-n", 10, "--force")
    check(p.returncode == 0 and "notes.txt" in os.listdir(nonempty), f"--force: {p.stderr}")
    # Output path is a file; parent is a file; a place nobody can create.
    afile = os.path.join(tmp, "afile")
    with open(afile, "w") as f:
        f.write("x")
    for target, needle in ((afile, "not a directory"), (os.path.join(afile, "sub"), "not a directory"),
                           ("/proc/warpsynth-test/out", "cannot create")):
        p = run("generate", "-o", target, "-n", 10)
        check(p.returncode == 2 and needle in p.stderr and p.stderr.count("\n") == 1,
              f"-o {target}: {p.returncode} {p.stderr!r}")
    check(read(afile) == "x", "the file was touched")
    # Unwritable directory: as a normal user a 0555 directory; as root a read-only mount (if unshare works).
    ro = os.path.join(tmp, "ro")
    os.makedirs(ro)
    if os.geteuid() != 0:
        os.chmod(ro, 0o555)
        for target in (ro, os.path.join(ro, "sub")):
            p = run("generate", "-o", target, "-n", 10)
            check(p.returncode == 2 and "not writable" in p.stderr, f"unwritable {target}: {p.stderr!r}")
        os.chmod(ro, 0o755)
    elif shutil.which("unshare"):
        script = (f'mount -t tmpfs -o size=1m tmpfs "{ro}" && mkdir "{ro}/d" && mount -o remount,ro "{ro}" && '
                  f'"{BIN}" generate -o "{ro}/d" -n 10; echo "rc=$?"; "{BIN}" generate -o "{ro}/new" -n 10; '
                  f'echo "rc=$?"; ls -A "{ro}/d"')
        p = subprocess.run(["unshare", "-Urm", "sh", "-c", script], capture_output=True, text=True)
        if "rc=" in p.stdout:
            check(p.stdout.count("rc=2") == 2 and p.stdout.strip().endswith("rc=2"),
                  f"read-only mount: {p.stdout!r} {p.stderr!r}")
            check(p.stderr.count("not writable") == 2, f"read-only mount messages: {p.stderr!r}")
    # validate / stats on a missing path.
    for cmd in ("validate", "stats"):
        p = run(cmd, os.path.join(tmp, "missing"))
        check(p.returncode == 2 and p.stderr.startswith("warpsynth: error: "), f"{cmd} missing: {p.stderr!r}")


@test
def test_full_disk(tmp):
    """A disk that fills mid-record: exit 1, 'no space left on device', complete files only; --resume finishes."""
    args = ["-n", 500, "-s", 21, "--records-per-file", 100]
    ref = reference(tmp, *args)
    sizes = [len(v) for _, v in sorted(data_files(ref).items())]
    manifest = len(read(os.path.join(ref, ".warpsynth.json"), "rb"))
    limit = manifest + sizes[0] + sizes[1] + sizes[2] // 2
    d = os.path.join(tmp, "full")
    p = gen(d, *args, env={"WARPSYNTH_TEST_DISK_LIMIT": str(limit)}, expect=1)
    check("no space left on device" in p.stderr and p.stderr.count("\n") == 1, f"message: {p.stderr!r}")
    names = sorted(os.listdir(d))
    check([n for n in names if n.startswith("data-")] == ["data-00000.jsonl", "data-00001.jsonl"], f"files {names}")
    check(not [n for n in names if n.endswith(".tmp")], f"temporary files left: {names}")
    check(data_files(d) == {k: v for k, v in data_files(ref).items() if k in ("data-00000.jsonl", "data-00001.jsonl")},
          "kept files differ")
    gen(d, *args, "--resume")
    same_dataset(ref, d)
    # A real full file system (tmpfs of 1 MiB in a private mount namespace), where unshare is allowed.
    if not shutil.which("unshare"):
        raise Skip("no unshare: only the simulated full disk was tested")
    small = os.path.join(tmp, "small")
    os.makedirs(small)
    script = (f'mount -t tmpfs -o size=1m tmpfs "{small}" || exit 99; "{BIN}" generate -o "{small}/o" -n 2000 '
              f'--records-per-file 20 --no-progress; echo "rc=$?"; ls -A "{small}/o"; '
              f'for f in "{small}"/o/data-*; do tail -c 1 "$f" | od -An -c; done')
    p = subprocess.run(["unshare", "-Urm", "sh", "-c", script], capture_output=True, text=True)
    if "rc=" not in p.stdout:
        raise Skip(f"cannot mount a tmpfs here ({p.stderr.strip()}): only the simulated full disk was tested")
    check("rc=1" in p.stdout, f"real full disk: {p.stdout!r} {p.stderr!r}")
    check("no space left on device" in p.stderr, f"real full disk message: {p.stderr!r}")
    check(".tmp" not in p.stdout, f"temporary file left on the full disk: {p.stdout!r}")
    tails = [l.strip() for l in p.stdout.splitlines() if l.strip() in ("\\n",) or l.startswith("  ")]
    check(all(t == "\\n" for t in tails), f"a kept file does not end in a newline: {tails}")


# ------------------------------------------------------------------------------------------------------------------
# validate and stats


@test
def test_validate_good(tmp):
    d = os.path.join(tmp, "o")
    gen(d, "-n", 300, "-s", 4, "--records-per-file", 100)
    p = run("validate", d)
    check(p.returncode == 0 and "300 records in 3 file(s): 300 valid, 0 invalid" in p.stdout, p.stdout + p.stderr)
    p = run("validate", os.path.join(d, "data-00001.jsonl"))
    check(p.returncode == 0 and "100 valid" in p.stdout, p.stdout)


def corrupt_file(src, dst, edits):
    lines = lines_of(src)
    for lineno, fn in sorted(edits.items(), reverse=True):
        lines[lineno - 1: lineno] = fn(lines[lineno - 1])
    with open(dst, "wb") as f:
        f.write("".join(lines).encode("utf-8") if all(isinstance(l, str) for l in lines) else b"".join(
            l if isinstance(l, bytes) else l.encode() for l in lines))


def with_record(fn):
    def edit(line):
        rec = json.loads(line)
        fn(rec)
        return [json.dumps(rec, ensure_ascii=False) + "\n"]
    return edit


def ir_edit(rec):
    field = "cpu_forward" if "cpu_forward" in rec else "cuda_forward"
    rec[field] = rec[field].replace("var_0", "var_X", 1)


@test
def test_validate_corrupt(tmp):
    """Malformed JSON, missing fields, wrong types, changed text...: each reported with its line number."""
    d = os.path.join(tmp, "o")
    gen(d, "-n", 40, "-s", 6, "--records-per-file", 40)
    src = os.path.join(d, "data-00000.jsonl")
    bad = os.path.join(tmp, "bad.jsonl")
    expectations = {
        3: (lambda l: [l[: len(l) // 2] + "\n"], "malformed JSON at column"),
        5: (with_record(lambda r: r.pop("kernel_name")), 'missing field "kernel_name"'),
        7: (with_record(lambda r: r["metadata"].__setitem__("seed", "6")), 'field "metadata.seed" must be a number'),
        9: (with_record(ir_edit), "differs from the record re-rendered"),
        11: (with_record(lambda r: r.__setitem__("extra", 1)), 'unexpected field "extra"'),
        13: (lambda l: ["\n"], "empty line"),
        15: (lambda l: [json.dumps(dict(reversed(list(json.loads(l).items()))), ensure_ascii=False) + "\n"],
             "not the generator's serialization"),
        17: (lambda l: [b"\xff\xfe garbage\n"], "invalid UTF-8"),
        19: (with_record(lambda r: r.__setitem__("python_source", r["python_source"] + "# tail\n")),
             "--- expected/python_source"),
        21: (with_record(lambda r: r["metadata"].__setitem__("index", 3)), "does not match metadata seed/index"),
        23: (lambda l: ["[1, 2, 3]\n"], "not a JSON object"),
        25: (with_record(lambda r: r.__setitem__("cpu_backward", 5)), "must be a string or null"),
        27: (lambda l: [l, l], None),  # duplicated record: reported at the end
    }
    corrupt_file(src, bad, {k: v[0] for k, v in expectations.items()})
    p = run("validate", bad)
    check(p.returncode == 1, f"exit {p.returncode}: {p.stdout}")
    out = p.stdout
    for lineno, (_, needle) in expectations.items():
        if needle:
            hits = [l for l in out.splitlines() if l.startswith(f"{bad}:{lineno}: ")]
            check(hits, f"line {lineno} not reported:\n{out}")
            check(any(needle in l for l in out.split(f"{bad}:{lineno}: ", 1)[1].split(f"{bad}:", 1)[0].splitlines()),
                  f"line {lineno}: {needle!r} not in report:\n{out}")
    # The IR diff names the record and shows both sides.
    section = out.split(f"{bad}:9: ", 1)[1].split(f"{bad}:", 1)[0]
    check(section.startswith("record 6-8: "), f"record id not reported: {section[:80]!r}")
    check("--- expected/" in section and "+++ record/" in section and "\n  -" in section and "\n  +" in section and
          "var_X" in section, f"no diff: {section}")
    check("duplicate record id 6-26" in out, f"duplicate not reported:\n{out}")
    check(":28: duplicate record id" in out, "duplicate's line number")
    # Truncated last line (no final newline).
    trunc = os.path.join(tmp, "trunc.jsonl")
    data = read(src, "rb")
    with open(trunc, "wb") as f:
        f.write(data[:-1])
    p = run("validate", trunc)
    check(p.returncode == 1 and f"{trunc}:40: " in p.stdout and "no newline" in p.stdout, p.stdout)
    # Layout checks in a dataset directory: a lost record and a missing file.
    d2 = os.path.join(tmp, "o2")
    gen(d2, "-n", 300, "-s", 6, "--records-per-file", 100)
    f1 = os.path.join(d2, "data-00001.jsonl")
    lines = lines_of(f1)
    with open(f1, "w") as f:
        f.write("".join(lines[:10] + lines[11:]))
    os.remove(os.path.join(d2, "data-00002.jsonl"))
    p = run("validate", d2)
    check(p.returncode == 1, p.stdout)
    check("data-00002.jsonl: missing (records 200 to 299" in p.stdout, p.stdout)
    check(f"{f1}:11: record 6-111: out of place: line 11 of this file must be record 6-110" in p.stdout, p.stdout)
    check(f"{f1}: 99 records, expected 100" in p.stdout, p.stdout)


@test
def test_stats(tmp):
    d = os.path.join(tmp, "o")
    cats = categories()
    gen(d, "-n", 400, "-s", 12, "--records-per-file", 150, "--threads", 2)
    p = run("stats", d, "--json")
    check(p.returncode == 0, p.stderr)
    check(p.stdout == read(os.path.join(d, "stats.json")), "stats --json differs from stats.json")
    s = json.loads(p.stdout)
    check(s["records"] == 400, "records")
    check(sum(c["records"] for c in s["categories"].values()) == 400, "per-category records")
    check(set(s["categories"]) == set(cats), f"categories {set(s['categories'])}")
    for name, c in s["categories"].items():
        check(c["records"] == sum(1 for k in range(400) if cats[k % len(cats)] == name), f"count of {name}")
        check(1 <= c["distinct_kernels"] <= c["records"], f"distinct of {name}")
        check(sum(c["shapes"].values()) == c["records"], f"shapes of {name}")
    check(s["distinct_kernels"] <= 400, "distinct")
    check(s["builtins"].get("wp.tid", 0) > 0, "wp.tid not counted")
    check(s["bytes"] == sum(len(v) for v in data_files(d).values()), "bytes")
    check(s["sizes"]["record_bytes"]["count"] == 400, "sizes")
    check(s["cpu_vs_cuda"]["records_with_both"] == 400, "cpu_vs_cuda")
    check(s["cpu_vs_cuda"]["forward_body_identical"] + s["cpu_vs_cuda"]["forward_body_differs"] == 400, "fwd")
    check(s["backward"]["with"] + s["backward"]["without"] == 400, "backward")
    p = run("stats", d)
    check(p.returncode == 0 and "distinct kernels" in p.stdout and "cpu vs cuda" in p.stdout, p.stdout)
    for c in cats:
        check(c in p.stdout, f"{c} missing from stats text")
    # A single file; and a file with a bad line (skipped, exit 1).
    p = run("stats", os.path.join(d, "data-00000.jsonl"), "--json")
    check(p.returncode == 0 and json.loads(p.stdout)["records"] == 150, "single-file stats")
    bad = os.path.join(tmp, "bad.jsonl")
    with open(bad, "w") as f:
        f.write(read(os.path.join(d, "data-00000.jsonl")) + "{broken\n")
    p = run("stats", bad, "--json")
    check(p.returncode == 1 and json.loads(p.stdout)["records"] == 150 and ":151:" in p.stderr, p.stderr)


@test
def test_zstd(tmp):
    z, plain = os.path.join(tmp, "z"), os.path.join(tmp, "plain")
    p = run("generate", "-o", z, "-n", 250, "-s", 2, "--records-per-file", 100, "--compress", "zstd", "--no-progress")
    if p.returncode == 2 and "without libzstd" in p.stderr:
        raise Skip("built without zstd")
    check(p.returncode == 0, p.stderr)
    gen(plain, "-n", 250, "-s", 2, "--records-per-file", 100)
    names = sorted(n for n in os.listdir(z) if n.startswith("data-"))
    check(names == ["data-00000.jsonl.zst", "data-00001.jsonl.zst", "data-00002.jsonl.zst"], f"{names}")
    check('path: "data-*.jsonl.zst"' in read(os.path.join(z, "README.md")), "card glob")
    check(run("validate", z).returncode == 0, "validate .zst")
    check(run("stats", z, "--json").stdout == read(os.path.join(plain, "stats.json")), "stats of .zst vs plain")
    if shutil.which("zstd"):
        for n in names:
            raw = subprocess.run(["zstd", "-dc", os.path.join(z, n)], capture_output=True, check=True).stdout
            check(raw == read(os.path.join(plain, n[:-4]), "rb"), f"{n} does not decompress to the plain file")
    # Deterministic whatever the threads, and shardable.
    z1, z6 = os.path.join(tmp, "z1"), os.path.join(tmp, "z6")
    gen(z1, "-n", 250, "-s", 2, "--records-per-file", 100, "--compress", "zstd", "--threads", 1)
    gen(z6, "-n", 250, "-s", 2, "--records-per-file", 100, "--compress", "zstd", "--threads", 6)
    check(data_files(z1) == data_files(z) == data_files(z6), "zstd bytes depend on --threads")
    z2 = os.path.join(tmp, "z2")
    gen(z2, "-n", 250, "-s", 2, "--records-per-file", 100, "--compress", "zstd", "--shard", "1/3", "--threads", 1)
    check(data_files(z2) == {"data-00001.jsonl.zst": data_files(z)["data-00001.jsonl.zst"]}, "zstd shard bytes")


# ------------------------------------------------------------------------------------------------------------------


@test
def test_launch(tmp):
    """`launch`: NVRTC-compiles every record (no GPU needed) and, with a GPU, runs and compares it; bad records FAIL
    with their line, a bad --runtime is a usage error."""
    d = os.path.join(tmp, "o")
    gen(d, "-n", 18, "-s", 9, "-d", "cuda")
    report = os.path.join(tmp, "report.jsonl")
    p = run("launch", d, "--batch", 6, "--report", report)
    if "skipped: no CUDA device" in p.stdout:
        print("SKIP execution: no CUDA device here (NVRTC compilation is still checked)")
        check(p.returncode == 0 and "18 records: 18 NVRTC-compiled, 0 FAIL" in p.stdout, p.stdout + p.stderr)
    else:
        check(p.returncode == 0 and " 0 FAIL; 18 forward" in p.stdout, p.stdout + p.stderr)
    rows = [json.loads(l) for l in lines_of(report)]
    check([r["id"] for r in rows] == [f"9-{k}" for k in range(18)], f"report ids: {[r['id'] for r in rows]}")
    check(all(r["verdict"] in ("COMPILED", "PASS", "CONV") for r in rows), str(rows[:3]))

    # a record whose CUDA IR does not compile, one whose Python differs from its description, a broken line
    bad = os.path.join(tmp, "bad.jsonl")
    src = data_files(d)["data-00000.jsonl"].decode().splitlines(keepends=True)[:4]
    recs = [json.loads(l) for l in src]
    recs[1]["cuda_forward"] = recs[1]["cuda_forward"].replace("wp::launch_bounds_t", "wp::no_such_type", 1)
    recs[2]["python_source"] = recs[2]["python_source"].replace("wp.tid()", "wp.tid( )", 1)
    with open(bad, "w") as f:
        f.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs) + '{"id": \n')
    p = run("launch", bad, "--compile-only")
    out = p.stdout
    check(p.returncode == 1, f"exit {p.returncode}: {out}")
    check("FAIL 9-1 (" in out and "no_such_type" in out, out)
    check("FAIL 9-2 (" in out and "python_source differs" in out, out)
    check("bad.jsonl:5" in out and "malformed JSON" in out, out)
    check("5 records: 2 NVRTC-compiled, 3 FAIL" in out, out)

    p = run("launch", d, "--runtime", tmp)
    check(p.returncode == 2 and "no builtin.h" in p.stderr, p.stdout + p.stderr)
    p = run("launch", d, "--arch", "turing")
    check(p.returncode == 2 and "--arch must be" in p.stderr, p.stdout + p.stderr)
    p = run("launch", os.path.join(tmp, "missing"))
    check(p.returncode == 2 and "cannot open" in p.stderr, p.stdout + p.stderr)


def main(argv):
    global BIN
    if len(argv) >= 2 and argv[1] == "--list":
        print("\n".join(TESTS))
        return 0
    if len(argv) < 2:
        print(__doc__)
        return 2
    BIN = os.path.abspath(argv[1])
    names = argv[2:] or list(TESTS)
    failed = skipped = 0
    for name in names:
        if name not in TESTS:
            print(f"unknown test {name}")
            return 2
        tmp = tempfile.mkdtemp(prefix=f"warpsynth-{name}-")
        t0 = time.time()
        try:
            TESTS[name](tmp)
            print(f"PASS {name} ({time.time() - t0:.1f} s)")
            shutil.rmtree(tmp, ignore_errors=True)
        except Skip as e:
            skipped += 1
            print(f"SKIP {name}: {e}")
            shutil.rmtree(tmp, ignore_errors=True)
        except Exception as e:  # noqa: BLE001
            failed += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}\n  (files kept in {tmp})")
    if failed:
        return 1
    return 77 if skipped == len(names) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
