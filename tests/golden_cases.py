"""The golden profiles (``tests/golden/*.yaml``): an answer file or a sample,
what must follow from it, and why. A key the tests do not know is refused, so a
typo never asserts nothing."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLES, read_yaml

from advisor.io.documents import Document, read_document

CASES = sorted((Path(__file__).parent / "golden").glob("*.yaml"))
#: What a case may hold, and what its ``expect`` may check.
CASE_KEYS = {"why", "sample", "profile", "expect"}
INFERENCE_KEYS = {"fires", "silent", "pilares", "ideas", "facts", "items"}
REPORT_KEYS = {"first", "plan", "plan_starts", "plan_excludes", "after_starts", "given", "not_given",
               "networks_at_most",
               "criterio_propio", "md_contains", "md_lacks", "md_once", "etapas", "cumplido", "count", "texts", "brief"}
ITEM_KEYS = {"include", "exclude", "done", "pending", "unknown", "first", "later"}


def load_case(path: Path) -> tuple[dict, Document]:
    case = read_yaml(path)
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
    unknown = set(case["expect"]) - INFERENCE_KEYS - REPORT_KEYS
    assert not unknown, f"{path.name}: unknown expect keys {sorted(unknown)}"
    for rule, lists in case["expect"].get("items", {}).items():
        unknown = sorted(set(lists) - ITEM_KEYS)
        assert not unknown, f"{path.name}: items.{rule} has unknown keys {unknown}"
    if "sample" in case:
        document = read_document(SAMPLES / case["sample"])
    else:
        document = Document(str(path), case["profile"])
    return case, document
