package main

import (
	"regexp"
	"strings"
	"unicode/utf16"
)

// The Node peer's validation rules, as the same regular expressions.
var (
	hex64      = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
	hex40      = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	lowerHex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)
	forbidden  = regexp.MustCompile("[\\x00-\\x1f\\x7f'^£$%&*()}{@#~?><,|=_+¬`-]")
	semver     = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)
	pep440     = regexp.MustCompile(`^([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?$`)
)

// jsLength is a string's length as JavaScript counts it (UTF-16 code units).
func jsLength(v string) int {
	return len(utf16.Encode([]rune(v)))
}

func validName(v string) bool {
	n := jsLength(v)
	return n >= 1 && n <= 32 && strings.TrimSpace(v) != "" && !forbidden.MatchString(v)
}

func validVersion(v string) bool {
	n := jsLength(v)
	return n >= 1 && n <= 32 && (semver.MatchString(v) || pep440.MatchString(v))
}
