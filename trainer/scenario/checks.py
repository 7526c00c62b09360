"""The scenario's value readers: the shared validator of the trainer's YAML files
(``trainer.validate``), under the names the scenario schema has always used."""

from __future__ import annotations

from trainer.validate import MISSING as MISSING
from trainer.validate import Problems as Problems
from trainer.validate import boolean as boolean
from trainer.validate import choice as choice
from trainer.validate import get as get
from trainer.validate import join as join
from trainer.validate import mapping as mapping
from trainer.validate import number as number
from trainer.validate import present as present
from trainer.validate import show as show
from trainer.validate import string as string
from trainer.validate import suggestion as suggestion
from trainer.validate import vector as vector
from trainer.validate import wrong as wrong
from trainer.validate import yaml_type as yaml_type
