from scpvn.core.tests.matrix import REVIEW, Rule

RULES = {
    "audit:index": Rule(get=REVIEW, query="model=registry.Enterprise"),
    "audit:object": Rule(
        get=REVIEW, kwargs=lambda w: {"model": "registry.Enterprise", "pk": str(w.enterprise.pk)}
    ),
}
