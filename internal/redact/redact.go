// Package redact removes credentials from text that emoeval prints, logs or stores: URLs
// (endpoints with user:pass@ or ?api_key=…), error messages that quote a server's reply (which
// may echo the request's Authorization header or URL), and configuration values that should
// have been a variable's name but are a key.
//
// It works on forms, not on knowledge of the secret: a caller that knows its secret (the API key
// it sends) should also remove it by value with Values, which catches what no pattern can (a
// key in a URL path, a key without a recognisable prefix).
package redact

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// Mask replaces each credential.
const Mask = "[REDACTED]"

// Values replaces every occurrence of each secret in s by Mask. Secrets shorter than 4 bytes are
// skipped: replacing "a" everywhere would destroy the message and hide nothing.
func Values(s string, secrets ...string) string {
	for _, v := range secrets {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, Mask)
		}
	}
	return s
}

// URL returns u with its credentials replaced by Mask, the rest left readable: the password of
// the user information (or the user alone, which is often a token: https://TOKEN@host), the
// values of query and fragment parameters named like credentials (api_key, token, sig, …) or
// whose value looks like a key, and path segments that look like keys. A string that does not
// parse as a URL is redacted as Text.
func URL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Opaque != "" {
		return Text(u)
	}
	var b strings.Builder
	if p.Scheme != "" {
		b.WriteString(p.Scheme)
		b.WriteString(":")
	}
	if p.Scheme != "" || p.Host != "" || p.User != nil {
		b.WriteString("//")
	}
	if p.User != nil {
		if _, hasPass := p.User.Password(); hasPass {
			b.WriteString(url.PathEscape(p.User.Username()))
			b.WriteString(":" + Mask + "@")
		} else {
			b.WriteString(Mask + "@")
		}
	}
	b.WriteString(p.Host)
	b.WriteString(redactPath(p.EscapedPath()))
	if p.RawQuery != "" || p.ForceQuery {
		b.WriteString("?")
		b.WriteString(redactParams(p.RawQuery))
	}
	if p.Fragment != "" {
		b.WriteString("#")
		b.WriteString(redactParams(p.EscapedFragment()))
	}
	return b.String()
}

// redactPath masks the segments of an escaped path that look like keys.
func redactPath(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if v, err := url.PathUnescape(s); err == nil && randomLooking(v) {
			segs[i] = Mask
		}
	}
	return strings.Join(segs, "/")
}

// redactParams masks, in a raw query string (a=1&b=2, order and encoding kept), the values of
// parameters named like credentials or whose value looks like a key.
func redactParams(raw string) string {
	parts := strings.Split(raw, "&")
	for i, part := range parts {
		name, value, hasValue := strings.Cut(part, "=")
		if !hasValue {
			continue
		}
		n, _ := url.QueryUnescape(name)
		v, _ := url.QueryUnescape(value)
		if credentialName(n) || randomLooking(v) {
			parts[i] = name + "=" + Mask
		}
	}
	return strings.Join(parts, "&")
}

// IsCredentialName reports whether a query parameter, header or field name is one that carries a
// credential (api_key, token, sig, password, x-api-key, …; see URL).
func IsCredentialName(name string) bool { return credentialName(name) }

// credentialName reports whether a parameter or header name is one that carries a credential:
// key, api_key, apikey, x-api-key, token, access_token, auth, sig, signature, secret, password, …
// Case, '-' and '_' are ignored. Counts that merely contain a word (max_tokens, prompt_tokens)
// are not credentials.
func credentialName(name string) bool {
	n := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' {
			return -1
		}
		return unicode.ToLower(r)
	}, name)
	switch n {
	case "key", "apikey", "xapikey", "apikeys", "auth", "authorization", "proxyauthorization", "sig", "signature",
		"secret", "password", "passwd", "pwd", "pass", "token", "credential", "credentials", "cookie", "setcookie",
		"session", "sessionid", "jwt", "bearer", "xamzsignature", "xamzcredential", "xamzsecuritytoken",
		"xgoogsignature", "xgoogcredential", "xgoogapikey", "code", "accesskey", "secretkey", "privatekey":
		return true
	}
	if strings.HasSuffix(n, "tokens") || strings.HasPrefix(n, "max") || strings.HasPrefix(n, "num") {
		return false // max_tokens, prompt_tokens, num_tokens: counts
	}
	for _, suffix := range []string{"token", "secret", "password", "apikey", "signature", "credential", "authkey", "accesskey", "privatekey"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return false
}

var (
	// authHeaderRE matches an Authorization-like header and its value up to the end of the line
	// or of a quoted string: "Authorization: Bearer …", authorization="Basic …", as a server
	// echoing the request prints it.
	authHeaderRE = regexp.MustCompile(`(?i)((?:proxy-)?authorization["']?\s*[:=]\s*["']?)([A-Za-z][\w-]*)(\s+)([^"'\r\n,;}\]]+)`)
	// schemeRE matches a credential after an HTTP authentication scheme name anywhere.
	schemeRE = regexp.MustCompile(`(?i)\b(bearer|basic|token|apikey|api-key)(\s+)([A-Za-z0-9\-._~+/]{6,}=*)`)
	// pairRE matches name=value, name: value and "name": "value" where the name ends like a
	// credential's (…key, …token, …secret, sig, auth, …): query strings, JSON, headers such as
	// x-api-key. credentialName then decides on the whole name.
	pairRE = regexp.MustCompile(`(?i)(["']?)\b([\w.-]*?(?:key|token|secret|password|passwd|pwd|pass|auth|authorization|sig|signature|credentials?|cookie|session|sessionid|jwt|bearer|code))(["']?)(\s*[:=]\s*)(["']?)([^\s"'&,;}\])]+)`)
	// userinfoRE matches the user information of a URL inside text.
	userinfoRE = regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*://)([^\s/?#@"'<>]+)@`)
	// keyRE matches keys by their well-known forms: OpenAI/Anthropic sk-…, Hugging Face hf_…,
	// GitHub ghp_…, GitLab glpat-…, Slack xox?-…, Google AIza…, AWS AKIA…, JSON Web Tokens.
	keyRE = regexp.MustCompile(`\b(?:(?:sk|pk|rk)-[A-Za-z0-9_\-]{8,}|hf_[A-Za-z0-9]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\-]{16,}|xox[abprs]-[A-Za-z0-9\-]{10,}|AIza[0-9A-Za-z_\-]{30,}|(?:AKIA|ASIA)[0-9A-Z]{16}|eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})`)
)

// Text returns s with the credentials it carries replaced by Mask: Authorization header values
// (Bearer, Basic, any scheme), the user information of URLs (user:pass@host), credentials after
// a scheme name (Bearer …; Basic … when it decodes to user:pass), name=value and "name": "value"
// pairs named like credentials (query strings, JSON, headers such as x-api-key), and keys of
// well-known forms (sk-…, hf_…, ghp_…, AKIA…, JWTs).
func Text(s string) string {
	if s == "" {
		return s
	}
	s = authHeaderRE.ReplaceAllString(s, "${1}${2}${3}"+Mask)
	// Before the pairs: in "https://apikey:sk-…@host" the pair would swallow the host.
	s = userinfoRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := userinfoRE.FindStringSubmatch(m)
		scheme, info := sub[1], sub[2]
		if user, _, ok := strings.Cut(info, ":"); ok {
			return scheme + user + ":" + Mask + "@"
		}
		return scheme + Mask + "@"
	})
	s = schemeRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := schemeRE.FindStringSubmatch(m)
		scheme, space, cred := sub[1], sub[2], sub[3]
		if !credentialLike(scheme, cred) {
			return m
		}
		return scheme + space + Mask
	})
	s = redactPairs(s)
	return keyRE.ReplaceAllString(s, Mask)
}

// redactPairs masks the values of the name=value, name: value and "name": "value" pairs of s
// whose name is a credential's. Unlike a regexp replacement, a pair that is left alone is not
// skipped over whole: in `authorization:"x-api-key": "…"` the first candidate, authorization
// with value x-api-key, is refused, and the scan resumes after its name to find x-api-key.
func redactPairs(s string) string {
	var b strings.Builder
	pos := 0
	for pos < len(s) {
		m := pairRE.FindStringSubmatchIndex(s[pos:])
		if m == nil {
			break
		}
		sub := func(i int) string { return s[pos+m[2*i] : pos+m[2*i+1]] }
		q1, name, sep, value := sub(1), sub(2), sub(4), sub(6)
		keep := strings.HasPrefix(value, "[") || !credentialName(name) || isScheme(value) ||
			// A name followed by ':' in prose ("key: model") is a label, not a credential,
			// unless the value looks like one; '=' and quoted JSON keys are assignments.
			strings.TrimSpace(sep) == ":" && q1 == "" && !LooksLikeSecret(value)
		if keep {
			next := pos + m[5] // after the name (and its closing quote)
			b.WriteString(s[pos:next])
			pos = next
			continue
		}
		b.WriteString(s[pos : pos+m[12]])
		b.WriteString(Mask)
		pos += m[13]
	}
	b.WriteString(s[pos:])
	return b.String()
}

// isScheme reports whether s is an HTTP authentication scheme name, which Text keeps in front of
// the masked credential ("authorization": "Bearer [REDACTED]").
func isScheme(s string) bool {
	switch strings.ToLower(s) {
	case "bearer", "basic", "digest", "token", "apikey", "api-key", "negotiate", "aws4-hmac-sha256":
		return true
	}
	return false
}

// randomLooking reports whether s looks like a generated credential rather than a readable
// value (a model name, a deployment, a date): a key of a well-known form, letters of both cases
// mixed with digits, or a long run of letters and digits without separators.
func randomLooking(s string) bool {
	if keyRE.MatchString(s) {
		return true
	}
	var lower, upper, digit, sep int
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			lower++
		case r >= 'A' && r <= 'Z':
			upper++
		case r >= '0' && r <= '9':
			digit++
		case r == '-' || r == '_' || r == '.' || r == ' ':
			sep++
		}
	}
	return len(s) >= 16 && lower > 0 && upper > 0 && digit > 0 ||
		len(s) >= 24 && sep == 0 && digit > 0 && lower+upper > 0
}

// credentialLike reports whether the word after an authentication scheme name is a credential
// rather than prose ("Bearer token required", "Basic authentication failed").
func credentialLike(scheme, cred string) bool {
	if strings.EqualFold(scheme, "basic") {
		// Basic credentials are base64 of "user:pass".
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding} {
			if d, err := enc.DecodeString(cred); err == nil && strings.Contains(string(d), ":") {
				return true
			}
		}
		return randomLooking(cred)
	}
	return !plainWord(cred)
}

// plainWord reports whether s is an ordinary word (letters only, one case or capitalised), as in
// prose, rather than a token.
func plainWord(s string) bool {
	if len(s) > 24 {
		return false
	}
	upperAfterFirst := false
	for i, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
		if i > 0 && unicode.IsUpper(r) {
			upperAfterFirst = true
		}
	}
	if upperAfterFirst {
		return strings.ToUpper(s) == s // an acronym, not camel-cased noise
	}
	return true
}

// LooksLikeSecret reports whether s looks like a credential rather than a name: a key of a
// well-known form (sk-…, hf_…, AKIA…, a JWT), or a long string that an environment variable's
// name would not be (characters other than letters, digits and '_'; letters of both cases mixed
// with digits; a long run of letters and digits without separators). It errs on the side of
// "yes": it decides whether a value may be printed, as in "environment variable X is not set",
// where X should be a name but a user may have written the key itself.
func LooksLikeSecret(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 8 {
		return false
	}
	if keyRE.MatchString(s) {
		return true
	}
	for _, p := range []string{"sk-", "sk_", "pk-", "rk-", "hf_", "ghp_", "gho_", "glpat-", "xox", "AIza", "AKIA", "eyJ"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	var lower, upper, digit, other, underscore int
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			lower++
		case r >= 'A' && r <= 'Z':
			upper++
		case r >= '0' && r <= '9':
			digit++
		case r == '_':
			underscore++
		default:
			other++
		}
	}
	n := len(s)
	switch {
	case other > 0 && n >= 16:
		return true // '-', '.', '/', '+', '=': base64, hex with dashes, key=…; no variable's name
	case lower > 0 && upper > 0 && digit > 0 && n >= 16:
		return true // mixed case and digits: random, not UPPER_SNAKE or lower_snake
	case underscore == 0 && digit > 0 && n >= 20:
		return true // a long run of letters and digits without separators
	case digit == n && n >= 16:
		return true
	}
	return false
}
