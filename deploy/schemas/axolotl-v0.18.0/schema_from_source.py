"""JSON Schema of axolotl's config (AxolotlInputConfig) from the pydantic models in src/axolotl/utils/schemas/ of a
pinned axolotl release, read with Python's ast (axolotl itself is not importable here: it needs torch and a GPU stack).

Usage: python3 schema_from_source.py <axolotl checkout> <tag> > config.schema.json
(reads the files with `git show <tag>:<path>`). Every field of AxolotlInputConfig and of the models it inherits from
becomes a property with its annotation turned into JSON Schema (str, int, float, bool, list, dict, Literal, unions,
Optional, nested models, str enums); other annotations accept anything. additionalProperties is false: Tailor must
generate documented keys only (axolotl itself warns about unknown keys rather than failing).
"""
import ast
import json
import subprocess
import sys

repo, tag = sys.argv[1], sys.argv[2]
root = "src/axolotl/utils/schemas/"
files = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", tag, root], capture_output=True,
                       text=True, check=True).stdout.split()
classes, enums = {}, {}
for f in files:
    if not f.endswith(".py"):
        continue
    tree = ast.parse(subprocess.run(["git", "-C", repo, "show", f"{tag}:{f}"], capture_output=True, text=True,
                                    check=True).stdout)
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [ast.unparse(b) for b in node.bases]
        if any(b in ("Enum", "str, Enum") or b.endswith("Enum") for b in bases):
            enums[node.name] = [ast.literal_eval(s.value) for s in node.body
                                if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)]
            continue
        fields = {s.target.id: s.annotation for s in node.body
                  if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
                  and not s.target.id.startswith("_") and s.target.id != "model_config"}
        classes[node.name] = (bases, fields)

SIMPLE = {"str": {"type": "string"}, "int": {"type": "integer"}, "float": {"type": "number"},
          "bool": {"type": "boolean"}, "None": {"type": "null"}, "dict": {"type": "object"},
          "list": {"type": "array"}}
used = set()


def schema(a):
    if isinstance(a, ast.Constant) and a.value is None:
        return {"type": "null"}
    if isinstance(a, ast.BinOp) and isinstance(a.op, ast.BitOr):
        return {"anyOf": [schema(a.left), schema(a.right)]}
    if isinstance(a, ast.Name):
        if a.id in SIMPLE:
            return SIMPLE[a.id]
        if a.id in enums:
            return {"enum": enums[a.id]}
        if a.id in classes:
            used.add(a.id)
            return {"$ref": "#/$defs/" + a.id}
        return {}
    if isinstance(a, ast.Subscript):
        name = ast.unparse(a.value)
        args = a.slice.elts if isinstance(a.slice, ast.Tuple) else [a.slice]
        if name == "Annotated":
            return schema(args[0])
        if name in ("list", "List", "Sequence"):
            return {"type": "array", "items": schema(args[0])}
        if name in ("dict", "Dict"):
            return {"type": "object"}
        if name == "Literal":
            return {"enum": [ast.literal_eval(x) for x in args]}
        if name == "Optional":
            return {"anyOf": [schema(args[0]), {"type": "null"}]}
        if name == "Union":
            return {"anyOf": [schema(x) for x in args]}
    return {}


def properties(name, seen=None):
    seen = seen or set()
    if name not in classes or name in seen:
        return {}
    seen.add(name)
    bases, fields = classes[name]
    out = {}
    for b in reversed(bases):
        out.update(properties(b, seen))
    out.update({k: schema(v) for k, v in fields.items()})
    return out


def model(name):
    return {"type": "object", "properties": properties(name), "additionalProperties": False}


top = model("AxolotlInputConfig")
defs = {}
while used - defs.keys():
    for n in sorted(used - defs.keys()):
        defs[n] = model(n)
top = {"$schema": "https://json-schema.org/draft/2020-12/schema",
       "title": f"axolotl {tag} config (AxolotlInputConfig), from src/axolotl/utils/schemas/",
       **top, "$defs": defs}
print(json.dumps(top, indent=1, sort_keys=True))
