#!/usr/bin/env python3
"""Completes trivy's CycloneDX SBOM of the image for a release.

trivy lists the Debian packages of the runtime image but cannot see inside the static Swift binary, so the Swift
packages compiled into it are added from Package.resolved (every resolved package with its version) or, when there
is none, from Package.swift's `exact:` pins; and the image itself is named by repository, version and digest.

Usage: sbom.py TRIVY_JSON OUT_JSON --repository R --version V --digest sha256:… [--package-dir DIR]
"""
import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import quote


def swift_packages(package_dir: Path) -> list[tuple[str, str]]:
    """(location, version) of each Swift package the binary is built from."""
    resolved = package_dir / "Package.resolved"
    if resolved.exists():
        pins = json.loads(resolved.read_text())["pins"]
        return sorted((pin["location"], pin["state"].get("version") or pin["state"]["revision"]) for pin in pins)
    manifest = (package_dir / "Package.swift").read_text()
    return sorted(re.findall(r'\.package\(url:\s*"([^"]+)",\s*exact:\s*"([^"]+)"\)', manifest))


def swift_component(location: str, version: str) -> dict:
    path = re.sub(r"^https?://", "", location).removesuffix(".git")
    namespace, _, name = path.rpartition("/")
    purl = f"pkg:swift/{namespace}/{name}@{version}"
    return {
        "bom-ref": purl,
        "type": "library",
        "name": name,
        "group": namespace,
        "version": version,
        "purl": purl,
        "externalReferences": [{"type": "vcs", "url": location}],
        "properties": [{"name": "todo-chatbot:linked", "value": "statically into /app/todo-chatbot"}],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trivy_json")
    parser.add_argument("out_json")
    parser.add_argument("--repository", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--digest", required=True)
    parser.add_argument("--package-dir", default=".")
    args = parser.parse_args()

    bom = json.loads(Path(args.trivy_json).read_text())
    if bom.get("bomFormat") != "CycloneDX":
        print(f"sbom.py: {args.trivy_json} is not a CycloneDX document", file=sys.stderr)
        return 1
    host, _, path = args.repository.partition("/")
    image = bom["metadata"]["component"]
    image["name"] = args.repository
    image["version"] = args.version
    image["purl"] = f"pkg:oci/{path.rpartition('/')[2]}@{quote(args.digest)}?repository_url={quote(args.repository, safe='')}"
    image.setdefault("properties", []).append({"name": "oci:image:digest", "value": args.digest})

    components = bom.setdefault("components", [])
    known = {component.get("purl") for component in components}
    added = [swift_component(*package) for package in swift_packages(Path(args.package_dir))]
    components.extend(component for component in added if component["purl"] not in known)
    # The binary depends on each Swift package; trivy already relates the image to its Debian packages.
    dependencies = bom.setdefault("dependencies", [])
    entry = next((d for d in dependencies if d["ref"] == image["bom-ref"]), None)
    if entry is None:
        entry = {"ref": image["bom-ref"], "dependsOn": []}
        dependencies.append(entry)
    entry.setdefault("dependsOn", []).extend(c["bom-ref"] for c in added if c["bom-ref"] not in entry["dependsOn"])
    dependencies.extend({"ref": c["bom-ref"], "dependsOn": []} for c in added if c["bom-ref"] not in {d["ref"] for d in dependencies})

    Path(args.out_json).write_text(json.dumps(bom, indent=2) + "\n")
    print(f"SBOM: {len(components)} components ({len(added)} Swift packages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
