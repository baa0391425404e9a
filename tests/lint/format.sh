#!/bin/sh
# The C files under api/ and tests/ against .clang-format, the house style.
# Any difference fails and is shown as a diff. With --fix, the files are
# rewritten in place instead. SQL text laid out by hand sits between
# /* clang-format off */ and /* clang-format on */.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
command -v clang-format >/dev/null || { echo "clang-format is not installed (scripts/test installs it)"; exit 1; }
files=$(git ls-files 'api/*.c' 'api/*.h' 'tests/*.c' 'tests/*.h' 2>/dev/null ||
	find api tests -name '*.[ch]' -not -path '*/node_modules/*')
if [ "${1:-}" = "--fix" ]; then
	clang-format -i $files
	exit 0
fi
bad=0
for f in $files; do
	if ! clang-format "$f" | diff -u "$f" - >/tmp/clientd-format.$$ 2>&1; then
		cat /tmp/clientd-format.$$
		bad=$((bad + 1))
	fi
done
rm -f /tmp/clientd-format.$$
if [ $bad -gt 0 ]; then
	echo "format: $bad file(s) differ from .clang-format (tests/lint/format.sh --fix)"
	exit 1
fi
echo "format: $(printf '%s\n' $files | wc -l) files as .clang-format says"
