import Database
import Observations
