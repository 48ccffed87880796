// Candidates and parameters are made of Imaging's values (Image, PixelPoint,
// MaskBits, Star); callers should not need a second import to use them.
@_exported import Imaging
