"""`cogsync export` and `cogsync import`: a populated server's data (pools, datasets with
tombstones, a deleted and a re-created dataset, multi-page record sets, NUL and non-ASCII keys,
devices, subscriptions, pool configuration) goes out as NDJSON and into a fresh data dir, where a
server answers every read as the source did, field by field, and a client holding the source's
sync counts goes on syncing without a conflict. A second import changes nothing; bad lines are
reported as `line N: reason` with exit 1 while the good ones load; progress lines appear when
stderr is not a terminal; an import runs while a server serves the same data dir."""
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from botocore.exceptions import ClientError  # noqa: E402
from cogsync_server import REGION, CogsyncServer, binary_path, new_identity, new_pool  # noqa: E402
from e2e_base import remove, replace  # noqa: E402
from test_identity_logins import GOOGLE_CLIENT, Signer  # noqa: E402

GCM_ARN = "arn:aws:sns:us-east-1:123456789012:app/GCM/app"
ROLE = "arn:aws:iam::123456789012:role/cognito"
TRIGGER = "arn:aws:lambda:us-east-1:123456789012:function:sync"
NUL_KEY = "nul\u0000key"
WIDE_KEY = "clé-\u65e5\u672c-\U0001f600"


def run_cli(*args, stdin=None):
    return subprocess.run([binary_path(), *args], input=stdin, capture_output=True, timeout=240)


def run_on_terminal(*args):
    """Runs a command with its stderr on a pseudo-terminal; returns its exit code and what it drew."""
    main, tty = pty.openpty()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=tty)
    os.close(tty)
    screen = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the terminal's other side is closed, the command is done
            break
        if not chunk:
            break
        screen += chunk
    os.close(main)
    return proc.wait(120), screen.decode("utf-8", "replace")


def export(data_dir, path):
    res = run_cli("export", "--data-dir", data_dir, "--output", path)
    assert res.returncode == 0, res.stderr
    with open(path, "rb") as f:
        return f.read()


def without_header(blob):
    return blob.split(b"\n", 1)[1]


def sync(c, ids, patches, last=0):
    token = c.list_records(LastSyncCount=last, **ids)["SyncSessionToken"]
    return c.update_records(SyncSessionToken=token, RecordPatches=patches, **ids)["Records"]


def strip(answer):
    return {k: v for k, v in answer.items() if k not in ("ResponseMetadata", "SyncSessionToken", "NextToken")}


def all_records(c, ids, last=0):
    """Every page of ListRecords with a small page size, and the last page's other members."""
    records, token = [], None
    while True:
        kw = dict(MaxResults=40, LastSyncCount=last, **ids)
        if token:
            kw["NextToken"] = token
        page = c.list_records(**kw)
        records += page.get("Records", [])
        token = page.get("NextToken")
        if not token:
            rest = strip(page)
            rest["Records"] = records
            return rest


def describe(c, ids):
    try:
        return strip(c.describe_dataset(**ids))
    except ClientError as e:
        return e.response["Error"]["Code"]


def answers(c, layout):
    """What a server answers about every pool, identity and dataset of `layout`."""
    out = {}
    for pool, identities in layout.items():
        out[pool] = {"config": strip(c.get_identity_pool_configuration(IdentityPoolId=pool)),
                     "events": strip(c.get_cognito_events(IdentityPoolId=pool))}
        for identity, names in identities.items():
            datasets, token = [], None
            while True:
                kw = dict(IdentityPoolId=pool, IdentityId=identity, MaxResults=2)
                if token:
                    kw["NextToken"] = token
                page = c.list_datasets(**kw)
                datasets += page["Datasets"]
                token = page.get("NextToken")
                if not token:
                    break
            out[pool][identity] = {"datasets": datasets}
            for name in names:
                ids = dict(IdentityPoolId=pool, IdentityId=identity, DatasetName=name)
                out[pool][identity][name] = {"describe": describe(c, ids), "records": all_records(c, ids),
                                             "after_1": strip(c.list_records(LastSyncCount=1, **ids))}
    return out


def identity_client(endpoint):
    return boto3.session.Session().client(
        "cognito-identity", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="test",
        aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))


def identity_answers(ci, c, pool, users):
    """What a server answers about the pool, its identities, its developer users and a merge."""
    out = {"pool": strip(ci.describe_identity_pool(IdentityPoolId=pool)),
           "identities": ci.list_identities(IdentityPoolId=pool, MaxResults=60)["Identities"],
           "merged": c.list_records(IdentityPoolId=pool, IdentityId=users["bob"],
                                    DatasetName="profile").get("MergedDatasetNames")}
    for user in users:
        found = strip(ci.lookup_developer_identity(IdentityPoolId=pool, DeveloperUserIdentifier=user))
        out[user] = (found, strip(ci.lookup_developer_identity(IdentityPoolId=pool, IdentityId=found["IdentityId"],
                                                               MaxResults=10)))
    return out


class ExportImport(unittest.TestCase):
    def assertPlainProgress(self, command, err):
        """Plain progress lines (stderr is a pipe) come every 5 s or every 50000 lines, whichever
        is first: however fast the machine, there is one, and no gap exceeds 50000 lines."""
        seen = [int(n) for n in re.findall(rf"(?m)^{command}: (\d+) lines, \d+ lines/s, ETA ", err)]
        self.assertTrue(seen, err)
        self.assertTrue(all(0 < b - a <= 50000 for a, b in zip([0] + seen, seen)), err)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cogsync-export-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def populate(self, c):
        p1, p2, i1, i2, i3 = new_pool(), new_pool(), new_identity(), new_identity(), new_identity()
        c.set_identity_pool_configuration(IdentityPoolId=p1, PushSync={"ApplicationArns": [GCM_ARN], "RoleArn": ROLE},
                                          CognitoStreams={"StreamName": "changes", "RoleArn": ROLE,
                                                          "StreamingStatus": "ENABLED"})
        big = dict(IdentityPoolId=p1, IdentityId=i1, DatasetName="big")
        sync(c, big, [replace(f"k{n:03}", f"v{n}", 0) for n in range(150)] + [replace(NUL_KEY, "nul", 0),
                                                                               replace(WIDE_KEY, "wide \u00e9", 0)])
        sync(c, big, [remove("k007", 1), remove("k100", 1), replace("k001", "again", 1)], last=1)
        gone = dict(IdentityPoolId=p1, IdentityId=i1, DatasetName="gone")
        sync(c, gone, [replace("a", "1", 0)])
        c.delete_dataset(**gone)
        back = dict(IdentityPoolId=p1, IdentityId=i1, DatasetName="back")
        sync(c, back, [replace("a", "1", 0), replace("b", "2", 0)])
        c.delete_dataset(**back)
        sync(c, back, [replace("a", "new", 0)])
        for n in range(3):
            sync(c, dict(IdentityPoolId=p1, IdentityId=i2, DatasetName=f"d{n}"), [replace("x", str(n), 0)])
        sync(c, dict(IdentityPoolId=p2, IdentityId=i3, DatasetName="settings"), [replace("theme", "dark", 0)])
        c.set_cognito_events(IdentityPoolId=p2, Events={"SyncTrigger": TRIGGER})
        device = c.register_device(IdentityPoolId=p1, IdentityId=i1, Platform="GCM", Token="push-token")["DeviceId"]
        c.subscribe_to_dataset(DeviceId=device, **big)
        layout = {p1: {i1: ["big", "gone", "back"], i2: ["d0", "d1", "d2"]}, p2: {i3: ["settings"]}}
        return layout, big, device

    def test_export_import_serves_the_same_answers_and_sync_goes_on(self):
        source_file, target_file = os.path.join(self.tmp, "source.ndjson"), os.path.join(self.tmp, "target.ndjson")
        with CogsyncServer() as source:
            c = source.client()
            layout, big, device = self.populate(c)
            exported = export(source.data_dir, source_file)
            # Two exports of the same data differ only in the header's "created".
            self.assertEqual(without_header(export(source.data_dir, source_file + "2")), without_header(exported))
            to_stdout = run_cli("export", "--data-dir", source.data_dir, "--output", "-")
            self.assertEqual(without_header(to_stdout.stdout), without_header(exported))
            expected = answers(c, layout)
            held = {r["Key"]: r["SyncCount"] for r in c.list_records(**big)["Records"]}

            target = CogsyncServer()
            self.addCleanup(target.close)
            res = run_cli("import", source_file, "--data-dir", target.data_dir)
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertRegex(res.stderr.decode(), r"import: lines \d+, loaded \d+ \(unchanged 0\), refused 0, "
                                                  r"datasets 7, records 157, elapsed")
            target.start()
            t = target.client()
            self.assertEqual(answers(t, layout), expected)

            # A second import, while the target serves: nothing changes, byte for byte.
            again = run_cli("import", source_file, "--data-dir", target.data_dir)
            self.assertEqual(again.returncode, 0, again.stderr)
            self.assertIn("datasets 0, records 0", again.stderr.decode())
            self.assertEqual(without_header(export(target.data_dir, target_file)), without_header(exported))

            # The client that synced with the source pushes its change with the counts it holds.
            count = expected[big["IdentityPoolId"]][big["IdentityId"]]["big"]["records"]["DatasetSyncCount"]
            out = sync(t, big, [replace("k001", "from device", held["k001"]), replace("k007", "re-added", held["k007"])],
                       last=count)
            self.assertEqual({r["SyncCount"] for r in out}, {count + 1})
            # Its device and subscription came along: the same token is the same device.
            again_id = t.register_device(IdentityPoolId=big["IdentityPoolId"], IdentityId=big["IdentityId"],
                                         Platform="GCM", Token="push-token")["DeviceId"]
            self.assertEqual(again_id, device)
            t.unsubscribe_from_dataset(DeviceId=device, **big)

    def test_identities_keep_their_ids_logins_and_merges(self):
        path = os.path.join(self.tmp, "identities.ndjson")
        with CogsyncServer() as source:
            ci = identity_client(source.endpoint)
            pool = ci.create_identity_pool(IdentityPoolName="moving", AllowUnauthenticatedIdentities=True,
                                           DeveloperProviderName="login.moving",
                                           SupportedLoginProviders={"accounts.google.com": "client.apps"},
                                           IdentityPoolTags={"team": "a"})["IdentityPoolId"]
            users = {u: ci.get_open_id_token_for_developer_identity(
                IdentityPoolId=pool, Logins={"login.moving": u})["IdentityId"] for u in ("alice", "bob", "src")}
            ci.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.moving": "alice2"},
                                                        IdentityId=users["alice"])
            guest = ci.get_id(IdentityPoolId=pool)["IdentityId"]
            sync(source.client(), dict(IdentityPoolId=pool, IdentityId=users["src"], DatasetName="profile"),
                 [replace("name", "src", 0)])
            sync(source.client(), dict(IdentityPoolId=pool, IdentityId=users["bob"], DatasetName="profile"),
                 [replace("name", "bob", 0)])
            ci.merge_developer_identities(SourceUserIdentifier="src", DestinationUserIdentifier="bob",
                                          DeveloperProviderName="login.moving", IdentityPoolId=pool)
            expected = identity_answers(ci, source.client(), pool, users)
            export(source.data_dir, path)

        with CogsyncServer() as empty:
            empty_answers = identity_client(empty.endpoint).list_identity_pools(MaxResults=10)["IdentityPools"]
        self.assertEqual(empty_answers, [])
        target = CogsyncServer()
        self.addCleanup(target.close)
        res = run_cli("import", path, "--data-dir", target.data_dir)
        self.assertEqual(res.returncode, 0, res.stderr)
        target.start()
        t = identity_client(target.endpoint)
        self.assertEqual(identity_answers(t, target.client(), pool, users), expected)
        self.assertIn(guest, [i["IdentityId"] for i in expected["identities"]])
        # The same developer user gets the same identity; a new one gets a new identity.
        for user in ("alice", "alice2", "bob"):
            again = t.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.moving": user})
            self.assertEqual(again["IdentityId"], users["alice" if user == "alice2" else user])
        fresh = t.get_open_id_token_for_developer_identity(IdentityPoolId=pool, Logins={"login.moving": "dave"})
        self.assertNotIn(fresh["IdentityId"], users.values())
        again = run_cli("import", path, "--data-dir", target.data_dir)
        self.assertEqual(again.returncode, 0, again.stderr)
        # Every line but the header is already in the store as it is.
        lines, loaded, unchanged = map(int, re.search(r"lines (\d+), loaded (\d+) \(unchanged (\d+)\), refused 0",
                                                      again.stderr.decode()).groups())
        self.assertEqual((loaded, unchanged), (lines, lines - 1))

    def test_an_openid_connect_login_reaches_the_same_identity_after_import(self):
        google = Signer("g1", "RS256")
        with open(os.path.join(self.tmp, "google.json"), "w") as f:
            json.dump({"keys": [google.jwk]}, f)
        config = os.path.join(self.tmp, "cogsync.toml")
        with open(config, "w") as f:
            f.write(f'[oidc_providers."accounts.google.com"]\nissuer = "https://accounts.google.com"\n'
                    f'client_ids = ["{GOOGLE_CLIENT}"]\njwks_file = "google.json"\n')

        def get_id(server, pool, sub):
            token = google.token("https://accounts.google.com", sub, GOOGLE_CLIENT)
            return identity_client(server.endpoint).get_id(IdentityPoolId=pool,
                                                           Logins={"accounts.google.com": token})["IdentityId"]

        path = os.path.join(self.tmp, "oidc.ndjson")
        with CogsyncServer("--config", config) as source:
            pool = identity_client(source.endpoint).create_identity_pool(
                IdentityPoolName="oidc", AllowUnauthenticatedIdentities=False,
                SupportedLoginProviders={"accounts.google.com": GOOGLE_CLIENT})["IdentityPoolId"]
            alice = get_id(source, pool, "alice-sub")
            export(source.data_dir, path)
        target = CogsyncServer("--config", config)
        self.addCleanup(target.close)
        res = run_cli("import", path, "--data-dir", target.data_dir)
        self.assertEqual(res.returncode, 0, res.stderr)
        target.start()
        self.assertEqual(get_id(target, pool, "alice-sub"), alice)
        self.assertNotEqual(get_id(target, pool, "bob-sub"), alice)

    def test_refused_lines_name_their_line_and_the_rest_loads(self):
        pool, identity = new_pool(), new_identity()
        head = json.dumps({"format": "cogsync-export", "version": 1, "created": 1, "source": "test"})

        def dataset(name, records=0, storage=0):
            return json.dumps({"kind": "dataset", "pool": pool, "identity": identity, "dataset": name, "state": "live",
                               "sync_count": 1, "deleted_at": 0, "creation_ms": 1000, "last_modified_ms": 2000,
                               "last_modified_by": identity, "data_storage": storage, "num_records": records})

        def record(name, key, value):
            return json.dumps({"kind": "record", "pool": pool, "identity": identity, "dataset": name, "key": key,
                               "value": value, "sync_count": 1, "last_modified_ms": 2000, "last_modified_by": identity,
                               "device_last_modified_ms": 1500})

        cases = {
            "bad header": ([json.dumps({"format": "other", "version": 1})], 1, "bad header"),
            "unknown kind": ([head, json.dumps({"kind": "widget", "pool": pool})], 2, "unknown kind 'widget'"),
            "malformed JSON": ([head, '{"kind": "dataset",'], 2, "malformed JSON"),
            "bad pool id": ([head, dataset("d").replace(pool, "no-colon")], 2, "pool"),
            "over-limit value": ([head, dataset("d", 1, 1 + 1048576), record("d", "k", "x" * 1048576)], 3,
                                 "value"),
        }
        for name, (lines, bad_line, reason) in cases.items():
            with self.subTest(name):
                data_dir = os.path.join(self.tmp, name.replace(" ", "-"))
                res = run_cli("import", "-", "--data-dir", data_dir, stdin="\n".join(lines).encode() + b"\n")
                self.assertEqual(res.returncode, 1, res.stderr)
                self.assertRegex(res.stderr.decode(), rf"(?m)^line {bad_line}: .*{reason}")
        with self.subTest("invalid UTF-8"):
            blob = (head + "\n").encode() + record("d", "k", "v").encode().replace(b'"v"', b'"\xff"') + b"\n"
            res = run_cli("import", "-", "--data-dir", os.path.join(self.tmp, "utf8"), stdin=blob)
            self.assertEqual(res.returncode, 1)
            self.assertRegex(res.stderr.decode(), r"(?m)^line 2: invalid UTF-8")

        # Good lines around bad ones load; the server serves them.
        target = CogsyncServer()
        self.addCleanup(target.close)
        lines = [head, json.dumps({"kind": "widget"}), "{oops", dataset("good", 1, 2), record("good", "a", "b"),
                 dataset("fine")]
        res = run_cli("import", "-", "--data-dir", target.data_dir, stdin="\n".join(lines).encode())
        self.assertEqual(res.returncode, 1)
        err = res.stderr.decode()
        self.assertRegex(err, r"(?m)^line 2: unknown kind")
        self.assertRegex(err, r"(?m)^line 3: malformed JSON")
        self.assertIn("loaded 4", err)
        target.start()
        t = target.client()
        names = [d["DatasetName"] for d in t.list_datasets(IdentityPoolId=pool, IdentityId=identity)["Datasets"]]
        self.assertEqual(names, ["fine", "good"])

    def test_import_beside_a_serving_server_with_progress_lines(self):
        pool, identity = new_pool(), new_identity()
        path = os.path.join(self.tmp, "many.ndjson")
        datasets, per = 60, 1000
        with open(path, "w") as f:
            f.write(json.dumps({"format": "cogsync-export", "version": 1, "created": 1, "source": "test"}) + "\n")
            for d in range(datasets):
                name = f"d{d}"
                f.write(json.dumps({"kind": "dataset", "pool": pool, "identity": f"{identity[:-4]}{d:04x}",
                                    "dataset": name, "state": "live", "sync_count": 1, "deleted_at": 0,
                                    "creation_ms": 1000, "last_modified_ms": 2000, "last_modified_by": "x",
                                    "data_storage": sum(len(f"k{n}") + 1 for n in range(per)),
                                    "num_records": per}) + "\n")
                for n in range(per):
                    f.write(json.dumps({"kind": "record", "pool": pool, "identity": f"{identity[:-4]}{d:04x}",
                                        "dataset": name, "key": f"k{n}", "value": "v", "sync_count": 1,
                                        "last_modified_ms": 2000, "last_modified_by": "x",
                                        "device_last_modified_ms": 2000}) + "\n")
        with CogsyncServer() as srv:
            c = srv.client()
            ids = dict(IdentityPoolId=pool, IdentityId=new_identity(), DatasetName="live")
            stop, errors, acked = threading.Event(), [], [0]

            def writer():
                try:
                    count = 0
                    while not stop.is_set():
                        out = sync(c, ids, [replace("n", str(acked[0]), count)], last=count)
                        count = out[0]["SyncCount"]
                        acked[0] += 1
                except Exception as e:  # reported below
                    errors.append(e)

            w = threading.Thread(target=writer, daemon=True)
            w.start()
            res = run_cli("import", path, "--data-dir", srv.data_dir)
            stop.set()
            w.join(60)
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertEqual(errors, [])
            self.assertGreater(acked[0], 0)
            err = res.stderr.decode()
            self.assertPlainProgress("import", err)
            self.assertRegex(err, rf"(?m)^import: lines {1 + datasets * (per + 1)}, .*refused 0, datasets {datasets}, "
                                  rf"records {datasets * per}")
            # The running server serves what was imported at once: it keeps no copy of the data.
            d = c.describe_dataset(IdentityPoolId=pool, IdentityId=f"{identity[:-4]}{59:04x}", DatasetName="d59")
            self.assertEqual(d["Dataset"]["NumRecords"], per)
            out = run_cli("export", "--data-dir", srv.data_dir, "--output", os.path.join(self.tmp, "out.ndjson"))
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertPlainProgress("export", out.stderr.decode())

        # On a terminal: one line redrawn in place (carriage returns, a bar), then the summary.
        code, screen = run_on_terminal(binary_path(), "import", path, "--data-dir", os.path.join(self.tmp, "tty"))
        self.assertEqual(code, 0, screen)
        self.assertRegex(screen, r"\rimport \[[# ]{30}\] +\d+% \d+ lines, \d+ lines/s, ETA ")
        self.assertNotRegex(screen, r"(?m)^import: 50000 lines")
        self.assertRegex(screen, r"\r\x1b\[Kimport: lines 60061, ")


if __name__ == "__main__":
    unittest.main()
