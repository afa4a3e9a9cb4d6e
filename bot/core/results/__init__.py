"""Race results and championship standings: what staff type or paste, and the posts.

model: the data; resolve: which session or driver was meant; parse: the result
command; correct: a command applied to what is recorded; standings: pasted tables;
render: the posts fans get.
"""
