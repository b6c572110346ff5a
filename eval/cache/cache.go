// Package cache is the response cache of a run (cache.sqlite): a key-value table in SQLite,
// written as responses arrive so that a crashed or interrupted run resumes without asking again.
//
// Writes go through one connection and are group-committed: Put hands its row to a writer
// goroutine, which commits every row waiting at that moment in one transaction and then returns
// to each caller. Put therefore returns only once its row is committed (a SIGKILL right after
// loses nothing), while many concurrent Puts share one commit. There is no flush interval. The
// journal is WAL with synchronous=NORMAL: a commit survives the process being killed; a power
// loss may drop the last commits but never corrupts the file.
package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// maxBatch bounds the rows of one group commit.
const maxBatch = 512

// readers is the number of connections serving Get; WAL lets them read while the writer commits.
const readers = 4

// Cache is an open cache file. It is safe for concurrent use, also by several processes.
type Cache struct {
	path  string
	read  *sql.DB
	get   *sql.Stmt
	ins   *sql.Stmt // on write
	write *sql.DB
	puts  chan *put
	done  chan struct{}
	// mu orders hand-overs before Close: Put sends under RLock, Close sets closed under Lock, so
	// the writer's final drain sees every row handed over.
	mu     sync.RWMutex
	closed bool
	quit   chan struct{}
}

type put struct {
	key, meta string
	value     []byte
	err       chan error
}

// Open opens or creates the cache at path.
func Open(path string) (*Cache, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open cache %s: %w", path, err)
	}
	// A URI, so that any character in the path is taken literally.
	uri := "file:" + (&url.URL{Path: abs}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	c := &Cache{path: path, puts: make(chan *put, maxBatch), quit: make(chan struct{}), done: make(chan struct{})}
	if c.write, err = sql.Open("sqlite", uri+"&_txlock=immediate"); err != nil {
		return nil, c.openError(err)
	}
	c.write.SetMaxOpenConns(1)
	c.write.SetConnMaxLifetime(0)
	const schema = `CREATE TABLE IF NOT EXISTS responses (
		key TEXT PRIMARY KEY,
		value BLOB NOT NULL,
		created_at INTEGER NOT NULL, -- Unix milliseconds
		meta TEXT NOT NULL DEFAULT ''
	)`
	if _, err := c.write.Exec(schema); err != nil {
		c.write.Close()
		return nil, c.openError(err)
	}
	if _, err := c.write.Exec(`SELECT key, value, created_at, meta FROM responses LIMIT 0`); err != nil {
		c.write.Close()
		return nil, fmt.Errorf("open cache %s: the file holds a table \"responses\" of another shape (%v): it is not an emoeval cache; give another path", path, err)
	}
	if c.ins, err = c.write.Prepare(`INSERT OR REPLACE INTO responses (key, value, created_at, meta) VALUES (?, ?, ?, ?)`); err != nil {
		c.write.Close()
		return nil, c.openError(err)
	}
	if c.read, err = sql.Open("sqlite", uri+"&_pragma=query_only(1)"); err != nil {
		c.write.Close()
		return nil, c.openError(err)
	}
	// A fixed set of kept-open readers: opening a connection (and preparing its statement) per
	// Get would cost more than the Get.
	c.read.SetMaxOpenConns(readers)
	c.read.SetMaxIdleConns(readers)
	if c.get, err = c.read.Prepare(`SELECT value FROM responses WHERE key = ?`); err != nil {
		c.read.Close()
		c.write.Close()
		return nil, c.openError(err)
	}
	go c.writer()
	return c, nil
}

func (c *Cache) openError(err error) error {
	return fmt.Errorf("open cache %s: %w (if the file is damaged or not an emoeval cache, move it away and run again; the run re-requests what it loses)", c.path, err)
}

// Get returns the value stored under key.
func (c *Cache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	var v []byte
	err := c.get.QueryRowContext(ctx, key).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("cache %s: get: %w", c.path, err)
	}
	return v, true, nil
}

// Put stores value under key, replacing any value there, and returns once it is committed.
func (c *Cache) Put(ctx context.Context, key string, value []byte) error {
	return c.PutMeta(ctx, key, value, "")
}

// PutMeta is Put with a short description of the entry (e.g. the model and clip), for people
// inspecting the file with sqlite3.
func (c *Cache) PutMeta(ctx context.Context, key string, value []byte, meta string) error {
	p := &put{key: key, value: value, meta: meta, err: make(chan error, 1)}
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return fmt.Errorf("cache %s: put after Close", c.path)
	}
	select {
	case c.puts <- p:
		c.mu.RUnlock()
	case <-ctx.Done():
		c.mu.RUnlock()
		return ctx.Err()
	}
	select {
	case err := <-p.err:
		return err
	case <-ctx.Done():
		return ctx.Err() // the row may still be committed
	}
}

// Len returns the number of entries.
func (c *Cache) Len(ctx context.Context) (int, error) {
	var n int
	if err := c.read.QueryRowContext(ctx, `SELECT count(*) FROM responses`).Scan(&n); err != nil {
		return 0, fmt.Errorf("cache %s: count: %w", c.path, err)
	}
	return n, nil
}

// Close waits for pending Puts and closes the file. Later calls do nothing.
func (c *Cache) Close() error {
	c.mu.Lock()
	already := c.closed
	if !already {
		c.closed = true
		close(c.quit)
	}
	c.mu.Unlock()
	<-c.done
	if already {
		return nil
	}
	return errors.Join(c.get.Close(), c.ins.Close(), c.read.Close(), c.write.Close())
}

// writer commits queued puts, all that are waiting in one transaction.
func (c *Cache) writer() {
	defer close(c.done)
	batch := make([]*put, 0, maxBatch)
	for {
		select {
		case p := <-c.puts:
			batch = append(batch[:0], p)
		case <-c.quit:
			// Puts already handed over are still committed.
			for {
				select {
				case p := <-c.puts:
					c.commit([]*put{p})
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case p := <-c.puts:
				batch = append(batch, p)
			default:
				break fill
			}
		}
		c.commit(batch)
	}
}

func (c *Cache) commit(batch []*put) {
	err := c.insert(batch)
	if err != nil {
		err = fmt.Errorf("cache %s: put: %w", c.path, err)
	}
	for _, p := range batch {
		p.err <- err
	}
}

func (c *Cache) insert(batch []*put) error {
	tx, err := c.write.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt := tx.Stmt(c.ins) // prepared once on the single write connection
	now := time.Now().UnixMilli()
	for _, p := range batch {
		if _, err := stmt.Exec(p.key, p.value, now, p.meta); err != nil {
			return err
		}
	}
	return tx.Commit()
}
