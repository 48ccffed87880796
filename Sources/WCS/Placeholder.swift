import CWCSLIB
