import FITS
import WCS
