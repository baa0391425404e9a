#!/bin/sh
# Static analysis of the product's C (api/src) with clang-tidy: the checks
# and the reason for each disabled one are in .clang-tidy at the top of
# the tree. Any finding fails. Usage: tests/lint/tidy.sh BUILDDIR
# (the build's compile_commands.json says how each file is compiled).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: tidy.sh BUILDDIR}
command -v clang-tidy >/dev/null || { echo "clang-tidy is not installed (scripts/test installs it)"; exit 1; }
cd "$root"
files=$(git ls-files 'api/src/*.c' 2>/dev/null || find api/src -name '*.c')
out=$(printf '%s\n' $files | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet 2>&1) || true
if printf '%s\n' "$out" | grep -E "(warning|error):" >/dev/null; then
	printf '%s\n' "$out" | grep -E -A3 "(warning|error):"
	echo "tidy: findings above"
	exit 1
fi
echo "tidy: $(printf '%s\n' $files | wc -l) files, no findings"
