"""Text for training, built without torch: the pretraining corpus (``build``), GeoNames world
facts (``geo_facts``) and the fine-tuning lab's four tasks (``tasks``).  Unit tests of this
package run without a model, so nothing here may import torch, transformers or textual."""
