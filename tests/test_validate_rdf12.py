"""Regression: RDF 1.2 input gets a one-line error from ``validate``, never a traceback.

The fast path that lets Oxigraph parse small files (and the path for large ones) accepted RDF
1.2 triple terms and text directions, which rdflib, pySHACL and Virtuoso cannot read: the SHACL
engine then failed with a traceback. rdflib's message (file and line) is kept for small files;
a large file is refused by name.
"""

from __future__ import annotations

import pytest

HEAD = "@prefix ex: <http://example.org/> .\n"
RDF12 = {
    "triple-term": "<< ex:a ex:b ex:c >> ex:d ex:e .\n",
    "annotation": "ex:a ex:b ex:c {| ex:d ex:e |} .\n",
    "direction": 'ex:a ex:b "x"@en--ltr .\n',
    "version": 'VERSION "1.2"\n',
}


@pytest.mark.parametrize("kind", sorted(RDF12))
@pytest.mark.parametrize("size", ["small", "large"])
def test_rdf12_input_is_refused_in_one_line(tmp_path, run_main, kind, size):
    filler = "".join(f'ex:s{i} ex:p "{"y" * 40}" .\n' for i in range(6000 if size == "large" else 1))
    body = RDF12[kind]
    text = body + HEAD + filler if kind == "version" else HEAD + filler + body
    path = tmp_path / "data.ttl"
    path.write_text(text, encoding="utf-8")
    done = run_main(["validate", "--no-owl", str(path)])
    if kind == "version" and size == "large":  # plain triples after the directive: read as such
        assert "Traceback" not in done.stderr
        return
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policykg: error: "), done.stderr
    assert "data.ttl" in lines[0] and "Traceback" not in done.stderr
