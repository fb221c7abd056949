"""Write: rendered files → the output folder, never half-written and never touching what jianbao did not write.

guard      refuses an output folder jianbao may not write into
lock       one build at a time per output folder
leftovers  clears what a killed build left behind (under the lock)
staging    the next version of the site, assembled beside the live one
mirror     starts a staging folder from the last one (the shadow), fixing only what differs
swap       puts the staged site in place in one step
manifest   what the last build wrote (keys, digests, owned paths): what a rebuild may skip

Single files are written atomically by jianbao/files.py, which every stage may use.
"""
