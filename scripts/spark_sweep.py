#!/usr/bin/env python3
"""Sweep a FHIR Bulk Data export (NDJSON of DiagnosticReports) with radlint on
Apache Spark: each partition of the export's lines is piped through
`radlint check --input fhir --format jsonl -` (RDD.pipe), and the verdicts
come back as JSON lines, one per DiagnosticReport, in the export's order.

    spark-submit scripts/spark_sweep.py EXPORT.ndjson OUT_DIR [--radlint PATH]
        [--partitions N] [--redact]

or, in local mode without a cluster, `python3 scripts/spark_sweep.py ...`
(with pyspark installed). On a cluster, radlint must be on every worker:
ship the binary with `--files target/release/radlint` and pass
`--radlint ./radlint`. The script then counts verdicts and prints them.
radlint is self-contained (the lexicon is built in), reads standard input
record by record, makes no network request, and its exit status 1 (reports
with errors) is not a failure: it is mapped to 0 here so Spark does not
retry the partition.
"""
import argparse
import json
import os
import shlex
import time

from pyspark.sql import SparkSession


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("export")
    parser.add_argument("out_dir")
    parser.add_argument("--radlint", default="target/release/radlint")
    parser.add_argument("--partitions", type=int, default=0)
    parser.add_argument("--redact", action="store_true")
    args = parser.parse_args()

    spark = SparkSession.builder.appName("radlint sweep").getOrCreate()
    sc = spark.sparkContext
    lines = sc.textFile(args.export, minPartitions=args.partitions or sc.defaultParallelism)
    radlint = os.path.abspath(args.radlint) if os.path.exists(args.radlint) else args.radlint
    command = [radlint, "check", "--input", "fhir", "--format", "jsonl", "--no-progress", "--jobs", "1"]
    if args.redact:
        command.append("--redact")
    command.append("-")
    # Exit 1 means "reports with errors": the partition's output is
    # complete. Any other failure fails the task (checkCode), so Spark
    # retries it rather than keep a partial partition. RDD.pipe splits its
    # command like a shell would, without running one: the shell is asked
    # for explicitly.
    shell = " ".join(shlex.quote(c) for c in command) + "; s=$?; [ $s -le 1 ] || exit $s"
    start = time.time()
    verdicts = lines.pipe("sh -c " + shlex.quote(shell), env={"LC_ALL": "C.UTF-8"}, checkCode=True)
    verdicts.saveAsTextFile(args.out_dir)
    elapsed = time.time() - start
    counts = (
        sc.textFile(args.out_dir)
        .map(lambda l: json.loads(l).get("supports") or "neither")
        .countByValue()
    )
    total = sum(counts.values())
    print(f"{total} reports in {elapsed:.1f} s on {lines.getNumPartitions()} partitions: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    spark.stop()


if __name__ == "__main__":
    main()
