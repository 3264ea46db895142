"""A strict parser of the Prometheus text exposition format 0.0.4, for the tests: every line is
a HELP or TYPE comment or a sample of the family typed last; label values use only the escapes
the format allows; no series appears twice; histogram buckets are cumulative, end with +Inf and
agree with _count."""
import json
import math
import re
import subprocess

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
SAMPLE_RE = re.compile(rf"^({NAME})(?:\{{(.*)\}})? (\S+)$")
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')
SUFFIXES = {"counter": ("",), "gauge": ("",), "histogram": ("_bucket", "_sum", "_count")}


def parse_labels(text):
    labels, pos = {}, 0
    while pos < len(text):
        m = LABEL_RE.match(text, pos)
        if not m:
            raise ValueError(f"bad labels {text!r}")
        value = re.sub(r"\\(.)", lambda e: {"n": "\n"}.get(e.group(1), e.group(1)), m.group(2))
        labels[m.group(1)] = value
        pos = m.end()
    return labels


def parse_value(text):
    if text in ("+Inf", "-Inf", "NaN"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"-?[0-9.]+(?:e[+-]?[0-9]+)?", text):
        raise ValueError(f"bad value {text!r}")
    return float(text)


def parse(text):
    """{(sample name, frozenset of labels): value}; raises ValueError on any deviation."""
    if not text.endswith("\n"):
        raise ValueError("the exposition must end with a line feed")
    samples, types, helps, family = {}, {}, set(), None
    for line in text[:-1].split("\n"):
        if line.startswith("# HELP "):
            name = line.split(" ")[2]
            if name in helps:
                raise ValueError(f"HELP twice for {name}")
            helps.add(name)
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            if name in types or kind not in SUFFIXES:
                raise ValueError(f"bad TYPE line {line!r}")
            types[name], family = kind, name
        else:
            m = SAMPLE_RE.match(line)
            if not m or family is None:
                raise ValueError(f"bad line {line!r}")
            name = m.group(1)
            if not any(name == family + s for s in SUFFIXES[types[family]]):
                raise ValueError(f"{name} outside its family ({family})")
            key = (name, frozenset(parse_labels(m.group(2) or "").items()))
            if key in samples:
                raise ValueError(f"series twice: {line!r}")
            samples[key] = parse_value(m.group(3))
    check_histograms(samples, types)
    return samples


def check_histograms(samples, types):
    for family in (f for f, kind in types.items() if kind == "histogram"):
        groups = {}
        for (name, labels), value in samples.items():
            if name == family + "_bucket":
                rest = frozenset(kv for kv in labels if kv[0] != "le")
                groups.setdefault(rest, []).append((parse_value(dict(labels)["le"]), value))
        for rest, buckets in groups.items():
            buckets.sort()
            counts = [v for _, v in buckets]
            if counts != sorted(counts) or not math.isinf(buckets[-1][0]):
                raise ValueError(f"{family} {dict(rest)}: buckets not cumulative up to +Inf")
            if samples.get((family + "_count", rest)) != counts[-1] or (family + "_sum", rest) not in samples:
                raise ValueError(f"{family} {dict(rest)}: _count is not the +Inf bucket, or no _sum")


# The reference reader: the parser of Prometheus's own Python client library, from Debian's
# python3-prometheus-client (scripts/install-deps.sh --test), run by Debian's python3, whatever
# interpreter runs the tests.
REFERENCE_PYTHON = "/usr/bin/python3"
REFERENCE_PROGRAM = """
import json, sys
from prometheus_client.parser import text_string_to_metric_families
json.dump([[s.name, sorted(s.labels.items()), s.value]
           for family in text_string_to_metric_families(sys.stdin.read()) for s in family.samples], sys.stdout)
"""


def parse_with_prometheus_client(text):
    """The exposition as prometheus_client's parser reads it, in parse()'s form; raises
    ValueError when that parser refuses it."""
    res = subprocess.run([REFERENCE_PYTHON, "-c", REFERENCE_PROGRAM], input=text.encode("utf-8"),
                         capture_output=True, check=False)
    if res.returncode != 0:
        raise ValueError(res.stderr.decode("utf-8", "replace"))
    return {(name, frozenset((k, v) for k, v in labels)): float(value)
            for name, labels, value in json.loads(res.stdout)}
