"""hello's page tells the truth about where it runs: the pod, namespace, node and image its JSON
answer reports (servedBy, from the downward API) are the real ones, and the HTML page shows them.

usage: hello-page.py PAGE_JSON PODS NAMESPACE NODE IMAGE HTML_FILE
    PAGE_JSON  GET / with Accept: application/json
    PODS       the names of hello's pods, separated by spaces
Prints servedBy; exit 1 naming what differs, 2 when PAGE_JSON is not hello's answer or the HTML
file cannot be read.
"""

import json
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    page, pods, ns, node, image, html_file = argv
    try:
        served = json.loads(page)["servedBy"]
        with open(html_file) as f:
            html = f.read()
        pod = served["pod"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"hello-page: {e!r}: {page[:300]}", file=sys.stderr)
        return 2
    problems = []
    if pod not in pods.split():
        problems.append(f"pod {pod} is not one of hello's: {pods}")
    for key, want in (("namespace", ns), ("node", node), ("image", image)):
        if served.get(key) != want:
            problems.append(f"{key} {served.get(key)!r}, not {want!r}")
    problems += [f"{v} not on the HTML page" for v in (pod, ns, node, image) if v not in html]
    print(served)
    if problems:
        print("; ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
