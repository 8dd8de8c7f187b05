"""The sizes every benchmark runs at, chosen by `BENCH_SIZE` (`province`, the default, or
`nation`). Each benchmark runs at every size of its ladder and reports the growth exponent
between them. The province ladder keeps `make bench` within 15 minutes on two cores; the
nation ladder is for a long run on a bigger machine.
"""

import os

LADDERS: dict[str, dict[str, list[int]]] = {
    "province": {
        # enterprises in the synthetic site the page loads are measured on (half as many
        # activities): the province is 100,000 enterprises and 50,000 activities
        "load": [5_000, 100_000],
        "progress": [2_000, 20_000, 50_000],
        "indicators": [50_000, 200_000],
        "registry_import": [5_000, 20_000],
        "trace_query": [10_000, 200_000],
        # EPCIS events with extension fields and ILMD (bench_trace_ext); 1,000,000 is the
        # nation ladder's, as filling it takes 7 minutes on the shared two cores
        "trace_ext": [10_000, 100_000],
        # records at the 126-ward size; the 30-district size gets 30/126 of them
        "units": [100_000],
        # OpenRosa visits received one by one, a transaction each (about 10 ms a visit either
        # way, flat in size): 10,000 (#17's figure, the nation ladder's first size) made this
        # benchmark 7.5 of `make bench`'s 17 minutes
        "openrosa_receive": [1_000, 5_000],
    },
    "nation": {
        "load": [100_000, 1_000_000],
        "progress": [50_000, 500_000],
        "indicators": [200_000, 1_000_000],
        "registry_import": [20_000, 100_000],
        "trace_query": [500_000, 10_000_000],
        "trace_ext": [10_000, 1_000_000, 10_000_000],
        "units": [1_000_000],
        "openrosa_receive": [10_000, 100_000],
    },
}


def size_name() -> str:
    name = os.environ.get("BENCH_SIZE", "province")
    if name not in LADDERS:
        raise SystemExit(f"BENCH_SIZE={name!r}: choose one of {', '.join(LADDERS)}")
    return name


def ladder(bench: str) -> list[int]:
    """The sizes of `bench`; `SCPVN_BENCH_<BENCH>_SIZES=1000,5000` overrides them."""
    override = os.environ.get(f"SCPVN_BENCH_{bench.upper()}_SIZES")
    if override:
        return [int(v) for v in override.split(",") if v.strip()]
    return LADDERS[size_name()][bench]
