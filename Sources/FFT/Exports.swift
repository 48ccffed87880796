@_exported import Pixels
import CFFTW
