"""Score the Tianjin table under a custom scheme file (``data/my-scheme.toml``).

The scheme rounds to one decimal and grades 好 / 较好 / 一般 / 差; compare
with the default mof2020 scheme.
"""

from pathlib import Path

from perfscore import evaluate_document, load_scheme
from perfscore.readers import read

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "tianjin-2024-self-evaluation.txt"
SCHEME = HERE / "data" / "my-scheme.toml"


def main() -> None:
    """Score with the default scheme and with the custom one, recomputing every row."""
    document = read(DATA)
    for scheme in (load_scheme(), load_scheme(SCHEME)):
        evaluation = evaluate_document(document, scheme=scheme, recompute=True)
        print(f"{scheme.name}（{scheme.title}）：总分 {evaluation.total}，等级 {evaluation.grade}")


if __name__ == "__main__":
    main()
