package kernel

import "testing"

func TestSizeClasses(t *testing.T) {
	prev := 0
	for n := 1; n < 1<<20; n += 1 + n/7 {
		c := sizeClass(n)
		size := classSize(c)
		if size < n || 4*size > 5*n+4*8 {
			t.Fatalf("n=%d: class %d holds %d floats", n, c, size)
		}
		if sizeClass(size) != c {
			t.Fatalf("class %d of size %d maps back to %d", c, size, sizeClass(size))
		}
		if c < prev {
			t.Fatalf("classes not monotone at n=%d", n)
		}
		prev = c
	}
}

func TestBufPoolReuses(t *testing.T) {
	a := GetBuf(1000)
	a[0] = 42
	PutBuf(a)
	b := GetBuf(990)
	if &b[:1][0] != &a[:1][0] {
		t.Fatal("a free buffer of the same class was not reused")
	}
	PutBuf(b)
	PutBuf(make([]float32, 1000)) // not from the pool: ignored
	if c := GetBuf(1000); cap(c) != classSize(sizeClass(1000)) {
		t.Fatalf("capacity %d", cap(c))
	}
}
