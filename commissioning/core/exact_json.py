"""A JSON serializer for backups that keeps every microsecond (issue 9, point 6).

Django's JSON encoder cuts datetimes and times to milliseconds (ECMA-262's format), so a backup restored and
backed up again would differ, and ordering by a timestamp could change. This one writes Python's full ISO form,
which Django's ordinary JSON deserializer (`loaddata`) reads back exactly.
"""

import datetime as dt

from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

FORMAT = "json_exact"


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            if o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactEncoder)
        super()._init_options()
