package metrics

import "math"

// The bootstrap must give the same numbers on every machine. Go's math.Log is assembly on some
// architectures, and the compiler may fuse x*y+z into one FMA instruction on others, either of
// which can flip an accept/reject decision. So the sampler below uses only IEEE-exact operations
// (+ − × ÷, sqrt, floor), a portable logarithm, and explicit float64() conversions that forbid
// fusion (the Go spec: an explicit conversion rounds and so prevents fusing).

// binomial draws from Binomial(n, p): inversion when n·min(p, 1−p) ≤ 30, else BTPE
// (Kachitvichyanukul & Schmeiser 1988), the same split and algorithms as NumPy's sampler.
func binomial(r *stream, n int64, p float64) int64 {
	switch {
	case n <= 0 || p <= 0:
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - binomial(r, n, 1-p)
	case float64(float64(n)*p) <= 30:
		return binomialInversion(r, n, p)
	}
	return binomialBTPE(r, n, p)
}

// binomialInversion walks the CDF from 0; p ≤ 0.5 and n·p ≤ 30, so few steps are needed.
// NumPy restarts the walk past np + 10·√(npq+1), where rounding has exhausted the
// probabilities; that bound is at least np + 10 and is computed only when a walk gets there.
func binomialInversion(r *stream, n int64, p float64) int64 {
	q := 1 - p
	odds := p / q
	qn := powInt(q, n)
	np := float64(float64(n) * p)
	limit, exact := min(n, int64(np)+10), false
	var x int64
	px := qn
	u := r.float64()
	for u > px {
		x++
		if x > limit {
			if !exact {
				limit, exact = min(n, int64(np+float64(10*math.Sqrt(float64(np*q)+1)))), true
			}
			if x > limit {
				x, px, u = 0, qn, r.float64()
				continue
			}
		}
		u -= px
		// pmf(x) = pmf(x−1)·(n−x+1)/x·p/q; a table of 1/x spares a division per step.
		px = float64(float64(float64(n-x+1)*odds)*px) * reciprocals[x]
	}
	return x
}

// powInt is x**n by repeated squaring (deterministic, unlike math.Pow across platforms),
// without branches on the bits of n, which a processor cannot predict.
func powInt(x float64, n int64) float64 {
	result := 1.0
	for n > 0 {
		pick := [2]float64{1, x}
		result *= pick[n&1]
		x *= x
		n >>= 1
	}
	return result
}

// reciprocals[x] = 1/x for every x an inversion can reach: bound ≤ 30 + 10·√31 < 100.
var reciprocals = func() (t [100]float64) {
	for i := 1; i < len(t); i++ {
		t[i] = 1 / float64(i)
	}
	return t
}()

// binomialBTPE is the triangle-parallelogram-exponential rejection sampler, for p ≤ 0.5 and
// n·p > 30; a transcription of NumPy's random_binomial_btpe.
func binomialBTPE(rng *stream, n int64, p float64) int64 {
	fn := float64(n)
	r := p
	q := 1 - r
	fm := float64(fn*r) + r
	m := int64(math.Floor(fm))
	nrq := float64(float64(fn*r) * q)
	p1 := math.Floor(float64(2.195*math.Sqrt(nrq))-float64(4.6*q)) + 0.5
	xm := float64(m) + 0.5
	xl := xm - p1
	xr := xm + p1
	c := 0.134 + 20.5/(15.3+float64(m))
	a := (fm - xl) / (fm - float64(xl*r))
	laml := float64(a * (1 + a/2))
	a = (xr - fm) / float64(xr*q)
	lamr := float64(a * (1 + a/2))
	p2 := float64(p1 * (1 + float64(2*c)))
	p3 := p2 + c/laml
	p4 := p3 + c/lamr
	for {
		u := float64(rng.float64() * p4)
		v := rng.float64()
		var y int64
		switch {
		case u <= p1: // triangle: accept at once
			return int64(math.Floor(xm - float64(p1*v) + u))
		case u <= p2: // parallelogram
			x := xl + (u-p1)/c
			v = float64(v*c) + 1 - math.Abs(float64(m)-x+0.5)/p1
			if v > 1 {
				continue
			}
			y = int64(math.Floor(x))
		case u <= p3: // left exponential tail
			y = int64(math.Floor(xl + portableLog(v)/laml))
			if y < 0 || v == 0 {
				continue
			}
			v = float64(float64(v*(u-p2)) * laml)
		default: // right exponential tail
			y = int64(math.Floor(xr - portableLog(v)/lamr))
			if y > n || v == 0 {
				continue
			}
			v = float64(float64(v*(u-p3)) * lamr)
		}
		k := y - m
		if k < 0 {
			k = -k
		}
		if k <= 20 || float64(k) >= nrq/2-1 {
			// Explicit evaluation of f(y)/f(m) = Π (a/i − s) over i in (m, y] (or its inverse),
			// as Π (a − s·i) / Π i: one division instead of one per factor. At most 20 factors
			// of at most a, so the products stay far from overflow.
			s := r / q
			a := float64(s * float64(n+1))
			lo, hi := m+1, y
			if m > y {
				lo, hi = y+1, m
			}
			num, den := 1.0, 1.0
			for i := lo; i <= hi; i++ {
				num *= a - float64(s*float64(i))
				den *= float64(i)
			}
			f := num / den
			if m > y {
				f = den / num
			}
			if v > f {
				continue
			}
			return y
		}
		// Squeeze on log f(y) with Stirling's formula.
		fk := float64(k)
		rho := (fk / nrq) * ((float64(fk*(fk/3+0.625))+0.16666666666666666)/nrq + 0.5)
		t := -float64(fk*fk) / float64(2*nrq)
		logV := portableLog(v)
		if logV < t-rho {
			return y
		}
		if logV > t+rho {
			continue
		}
		x1 := float64(y + 1)
		f1 := float64(m + 1)
		z := float64(n + 1 - m)
		w := float64(n - y + 1)
		bound := float64(xm*portableLog(f1/x1)) +
			float64((float64(n-m)+0.5)*portableLog(z/w)) +
			float64(float64(y-m)*portableLog(float64(w*r)/float64(x1*q))) +
			stirlingTail(f1) + stirlingTail(z) + stirlingTail(x1) + stirlingTail(w)
		if logV > bound {
			continue
		}
		return y
	}
}

// stirlingTail is the series correction term of BTPE's final acceptance test.
func stirlingTail(x float64) float64 {
	x2 := float64(x * x)
	return (13680. - (462.-(132.-(99.-140./x2)/x2)/x2)/x2) / x / 166320.
}

// portableLog is the natural logarithm computed as Go's pure-Go math.log does (FreeBSD's
// e_log.c), with fusion forbidden, so that it gives the same bits on every platform.
func portableLog(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
		l1    = 6.666666666666735130e-01
		l2    = 3.999999999940941908e-01
		l3    = 2.857142874366239149e-01
		l4    = 2.222219843214978396e-01
		l5    = 1.818357216161805012e-01
		l6    = 1.531383769920937332e-01
		l7    = 1.479819860511658591e-01
	)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}
	f1, ki := math.Frexp(x)
	if f1 < math.Sqrt2/2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)
	s := f / (2 + f)
	s2 := float64(s * s)
	s4 := float64(s2 * s2)
	t1 := float64(s2 * (l1 + float64(s4*(l3+float64(s4*(l5+float64(s4*l7)))))))
	t2 := float64(s4 * (l2 + float64(s4*(l4+float64(s4*l6)))))
	R := t1 + t2
	hfsq := float64(float64(0.5*f) * f)
	return float64(k*ln2Hi) - ((hfsq - (float64(s*(hfsq+R)) + float64(k*ln2Lo))) - f)
}
