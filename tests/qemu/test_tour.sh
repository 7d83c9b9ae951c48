#!/usr/bin/env bash
# test_tour.sh - every command of docs/tour.md, typed into a real sprout, prints what the tour says.
exec "$(dirname "$0")/../../tools/check-tour"
