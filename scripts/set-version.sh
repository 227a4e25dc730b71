#!/usr/bin/env bash
# Sets the product's version for the next release: writes VERSION (what scripts/release.sh releases), the binary's
# TodoVersion.current (what `--version` prints; a test keeps the two equal) and opens CHANGELOG.md's section for it
# from the Unreleased notes.
#
# Usage: scripts/set-version.sh X.Y.Z[-rc.N]
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-}
case $version in -h | --help | "") sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; [ -n "$version" ]; exit $? ;; esac
semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'
[[ $version =~ $semver ]] || { echo "set-version.sh: '$version' is not a semantic version X.Y.Z or X.Y.Z-rc.N" >&2; exit 2; }
current=$(tr -d '[:space:]' <VERSION)
if grep -qF "## [$version]" CHANGELOG.md; then
  echo "set-version.sh: CHANGELOG.md already has a section for $version" >&2
  exit 1
fi
printf '%s\n' "$version" >VERSION
sed -i "s/public static let current = \"[^\"]*\"/public static let current = \"$version\"/" Sources/TodoCore/Version.swift
python3 - "$version" "$current" "$(date -u +%Y-%m-%d)" <<'PY'
import sys
version, previous, today = sys.argv[1:]
text = open("CHANGELOG.md").read()
text = text.replace("## [Unreleased]\n", f"## [Unreleased]\n\n## [{version}] - {today}\n", 1)
base = "https://github.com/todo-chatbot/todo-chatbot"
text = text.replace(f"[Unreleased]: {base}/compare/v{previous}...HEAD",
                    f"[Unreleased]: {base}/compare/v{version}...HEAD\n[{version}]: {base}/compare/v{previous}...v{version}", 1)
open("CHANGELOG.md", "w").write(text)
PY
echo "version $current → $version: VERSION, Sources/TodoCore/Version.swift, CHANGELOG.md (check its notes), then commit and tag v$version"
