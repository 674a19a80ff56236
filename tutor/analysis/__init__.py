"""Numpy-only maths on what the engine returns (attention maps, vectors, masking draws).

Kept out of ``tutor.engine`` so widgets and tests can use it without importing torch.
"""
