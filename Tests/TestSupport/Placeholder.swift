import Database
import Store
