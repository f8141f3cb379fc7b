"""The words on screen, below both the kit (which draws them) and the narration (which
writes them): one translation function and its catalogues, and what the screen calls
optimizers, hyper-parameters, statuses and kinds of point.

i18n      `_`, the one translation function, in gettext's convention; the catalogues in locale/
terms     the names of optimizers, hyper-parameters, statuses and kinds of point, translated
"""
