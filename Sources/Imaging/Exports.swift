@_exported import Pixels
