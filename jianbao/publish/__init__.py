"""Write: rendered files → the output folder, never half-written and never touching what jianbao did not write.

staging    atomic files, the staged copy of the site and its swap, the output lock, the output guard
manifest   what the last build wrote (keys, digests, owned paths): what a rebuild may skip
"""
