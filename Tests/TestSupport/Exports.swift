// TestSupport is linked only into test targets. It holds what more than one
// test target needs: the real-data locator and (with the database module) a
// PostgreSQL fixture.
import Database
import Store
