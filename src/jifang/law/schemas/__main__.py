from . import write_schemas

write_schemas()
