#!/usr/bin/env python3
"""compare-bench.py — compares two `esk-bench --json` runs figure by figure.

    esk-bench --json --dir /tmp/run users-10k hot replay > after.json
    scripts/compare-bench.py benchmarks/regression-baseline.json after.json

For every workload and store present in both runs it prints the throughput, the fraction of the
workload's limit (its raw baseline measured in the same run, which cancels much of a busy or
different machine) and the heap allocations per operation, old and new. A figure regresses when
its fraction of the limit falls by more than --tolerance (default 15 %), or when its allocations
per operation grow by more than --allocation-slack (default 0.5). Exits 1 if any figure regressed,
0 otherwise; figures present in only one run are listed, not judged.
"""
import argparse
import json
import sys


def load(path):
    """{(workload, store): result} of one esk-bench --json file."""
    try:
        with open(path) as file:
            document = json.load(file)
    except (OSError, ValueError) as failure:
        sys.exit("compare-bench.py: cannot read {}: {}".format(path, failure))
    return {(result["workload"], result["store"]): result for result in document["results"]}


def rate(value):
    """A throughput in the harness's short form: 1.23M, 45.6k, 789."""
    for bound, suffix in ((1e6, "M"), (1e3, "k")):
        if value >= bound:
            return "{:.3g}{}".format(value / bound, suffix)
    return "{:.3g}".format(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--tolerance", type=float, default=0.15)
    parser.add_argument("--allocation-slack", type=float, default=0.5)
    arguments = parser.parse_args()
    old, new = load(arguments.old), load(arguments.new)

    regressions = 0
    header = "{:<34} {:<8} {:>9} {:>9} {:>7} {:>7} {:>8} {:>8}  {}"
    print(header.format("workload", "store", "old/s", "new/s", "old f", "new f", "old a/op",
                        "new a/op", "verdict"))
    for key in sorted(set(old) & set(new)):
        before, after = old[key], new[key]
        if key[0].startswith("baseline/"):
            verdict = "(limit)"
        else:
            verdict = "ok"
            fraction_before = before.get("fraction_of_limit")
            fraction_after = after.get("fraction_of_limit")
            if fraction_before and fraction_after is not None and \
                    fraction_after < fraction_before * (1 - arguments.tolerance):
                verdict = "REGRESSED: {:.0%} of its limit, was {:.0%}".format(
                    fraction_after, fraction_before)
            allocations_before = before.get("allocations_per_operation")
            allocations_after = after.get("allocations_per_operation")
            if allocations_before is not None and allocations_after is not None and \
                    allocations_after > allocations_before + arguments.allocation_slack:
                verdict = "REGRESSED: {:.1f} allocations per operation, was {:.1f}".format(
                    allocations_after, allocations_before)
            if verdict != "ok":
                regressions += 1

        def cell(result, field, form):
            value = result.get(field)
            return "-" if value is None else form(value)

        print(header.format(
            key[0], key[1], rate(before["operations_per_second"]),
            rate(after["operations_per_second"]),
            cell(before, "fraction_of_limit", "{:.2f}".format),
            cell(after, "fraction_of_limit", "{:.2f}".format),
            cell(before, "allocations_per_operation", "{:.1f}".format),
            cell(after, "allocations_per_operation", "{:.1f}".format), verdict))
    for key in sorted(set(old) ^ set(new)):
        print("{} on {}: only in the {} run".format(key[0], key[1],
                                                    "old" if key in old else "new"))
    print("{} figure(s) regressed".format(regressions))
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
