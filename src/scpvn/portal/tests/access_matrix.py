from scpvn.core.tests.matrix import PUBLIC, Rule

RULES = {
    "portal:index": Rule(get=PUBLIC),
    "portal:green-points": Rule(get=PUBLIC),
    "portal:lookup": Rule(get=PUBLIC),
    "portal:data": Rule(get=PUBLIC),
    "portal:dataset": Rule(get=PUBLIC, kwargs=lambda w: {"name": "progress", "fmt": "csv"}),
}
