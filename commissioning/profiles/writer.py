"""Writing a checked OPCC profile into the configuration tables, section by section (the plan, strategy documents,
partners and boards, funds, the grant scheme, procurement thresholds, KPIs). Each record is matched by a stable key
and only changed fields are written; loader.py checks the file first and runs this in one transaction."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from commissioning.accounts.models import User
from commissioning.core.dates import add_months
from commissioning.core.models import OpccSettings, ProcurementRegimeStart, PublicationThreshold
from commissioning.funds.models import Fund, FundingStream
from commissioning.funds.services import fund_split_set
from commissioning.grants.models import GrantScheme, InnovationWeights, TermsVersion
from commissioning.monitoring.models import FunderKpi, KpiDefinition, RagRule
from commissioning.monitoring.review_models import ContractManagementRule, StrategicReviewRule
from commissioning.organisations.models import AreaOfInterest, Organisation, PartnershipBoard
from commissioning.procurement.models import AbnormallyLowRule, ApprovalRole, ProcurementThreshold, StandingOrderTier
from commissioning.profiles.problems import Problem
from commissioning.profiles.semantics import kpi_categories
from commissioning.strategy.models import (
    CommissioningObjective,
    PanelArea,
    Pillar,
    PoliceCrimePlan,
    Priority,
    StrategyDocument,
    StrategyVersion,
)

SYSTEM_USER_EMAIL = "system@opcc.invalid"
OPCC_ORGANISATION_CODE = "opcc"
LONDON = ZoneInfo("Europe/London")
DEFAULT_SCHEME_CODE = "community-grant-scheme"
DEFAULT_SCHEME_DESCRIPTION = (
    "Grants for voluntary and community organisations for projects that meet one or more of the Police and Crime "
    "Plan priorities."
)
DEFAULT_WHO_CAN_APPLY = "Voluntary and community organisations whose project meets a Police and Crime Plan priority."


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


class ProfileWriter:
    """Upserts the checked profile, counting what it created, updated and left unchanged."""

    def __init__(self, *, profile: str, file: str, data: dict):
        self.profile, self.file, self.data = profile, file, data
        self.reason = f"Loaded from profile {profile}"
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.problems: list[Problem] = []
        self.areas: dict[str, AreaOfInterest | None] = {}

    # -- the generic step ---------------------------------------------------------------------------------

    def upsert(self, model, lookup: dict, values: dict, *, path: tuple, m2m: dict | None = None, obj=None):
        """Find by `lookup` (or take `obj`), create or update `values`, then set the many-to-many `m2m`."""
        if obj is None:
            obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**({k: v for k, v in lookup.items() if "__" not in k} | values))
            changed = True
        else:
            changed = False
            for name, value in values.items():
                if getattr(obj, name) != value:
                    setattr(obj, name, value)
                    changed = True
        if changed:
            try:
                obj.full_clean(exclude=[f.name for f in model._meta.fields if not f.editable])
            except ValidationError as exc:
                for field_name, messages in exc.message_dict.items():
                    where = "" if field_name == "__all__" else f"{field_name}: "
                    self.problems += [Problem(path, f"{where}{m}") for m in messages]
                return None
            obj._change_reason = self.reason
            obj.save()
        for name, targets in (m2m or {}).items():
            manager = getattr(obj, name)
            if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
                manager.set(targets)
                changed = True
        status = "created" if created else "updated" if changed else "unchanged"
        self.counts[model._meta.verbose_name_plural][status] += 1
        return obj

    # -- the profile, section by section ------------------------------------------------------------------

    def load(self):
        self.load_opcc()
        self.load_objectives_and_panel_areas()  # before the plan: a priority may name its Panel area
        plan, priorities = self.load_plan()
        self.load_strategy_documents(plan)
        partners = self.load_partners()
        self.load_boards(partners, priorities)
        self.load_funds()
        self.load_grant_scheme()
        self.load_innovation_weights()
        self.load_procurement()
        self.load_kpis()
        self.load_funding_streams()
        self.load_kpi_rag()
        self.load_review_rules()

    def load_opcc(self):
        opcc = self.data["opcc"]
        self.upsert(
            OpccSettings,
            {"pk": 1},
            {
                "profile": self.profile,
                "opcc_name": opcc["name"],
                "short_name": opcc["short_name"],
                "area_name": opcc["area_name"],
                "grants_prefix": opcc["grants_prefix"],
                "ocds_prefix": opcc["ocds_prefix"],
                "suppression_threshold": self.data.get("settings", {}).get("panel_suppression_threshold", 5),
                "separate_commitment_approval": self.data.get("settings", {}).get("separate_commitment_approval", True),
            },
            path=("opcc",),
        )
        # The OPCC's own organisation record (funder on grants, buyer on contracts): there is only ever one.
        existing = Organisation.objects.filter(kind=Organisation.Kind.OPCC).first()
        values = {"name": opcc["name"], "kind": Organisation.Kind.OPCC}
        if existing is None or not existing.code:
            values["code"] = OPCC_ORGANISATION_CODE
        self.upsert(Organisation, {"code": OPCC_ORGANISATION_CODE}, values, path=("opcc",), obj=existing)

    def load_plan(self) -> tuple[PoliceCrimePlan | None, dict[str, Priority]]:
        section = self.data["police_crime_plan"]
        is_current = section.get("is_current", True)
        if is_current:
            for other in PoliceCrimePlan.objects.filter(is_current=True).exclude(title=section["title"]):
                self.upsert(PoliceCrimePlan, {}, {"is_current": False}, path=("police_crime_plan",), obj=other)
        plan = self.upsert(
            PoliceCrimePlan,
            {"title": section["title"]},
            {
                "starts_on": _date(section["starts_on"]),
                "ends_on": _date(section["ends_on"]),
                "is_current": is_current,
            },
            path=("police_crime_plan",),
        )
        priorities = {}
        if plan is None:
            return None, priorities
        for i, entry in enumerate(section["pillars"]):
            path = ("police_crime_plan", "pillars", i)
            pillar = self.upsert(
                Pillar,
                {"plan": plan, "number": entry["number"]},
                {
                    "title": entry["title"],
                    "description": entry.get("description", ""),
                },
                path=path,
            )
            if pillar is None:
                continue
            for j, item in enumerate(entry["priorities"]):
                # A priority's Panel area (optional): grant-made services take their main Panel area from it.
                area = None
                if item.get("panel_area"):
                    area = PanelArea.objects.filter(code=item["panel_area"]).first()
                    if area is None:
                        self.problems.append(
                            Problem((*path, "priorities", j, "panel_area"), f"No Panel area {item['panel_area']!r}")
                        )
                # Matched by code within the plan: a priority moved to another pillar is updated, not copied.
                priority = self.upsert(
                    Priority,
                    {"pillar__plan": plan, "code": item["code"]},
                    {
                        "pillar": pillar,
                        "title": item["title"],
                        "description": item.get("description", ""),
                        "panel_area": area,
                    },
                    path=(*path, "priorities", j),
                )
                if priority is not None:
                    priorities[priority.code] = priority
        return plan, priorities

    def load_objectives_and_panel_areas(self):
        for i, entry in enumerate(self.data["commissioning_objectives"]):
            self.upsert(
                CommissioningObjective,
                {"number": entry["number"]},
                {
                    "title": entry["title"],
                    "description": entry["description"],
                },
                path=("commissioning_objectives", i),
            )
        for i, entry in enumerate(self.data["panel_areas"]):
            self.upsert(
                PanelArea,
                {"code": entry["code"]},
                {
                    "name": entry["name"],
                    "order": entry.get("order", i + 1),
                },
                path=("panel_areas", i),
            )

    def load_strategy_documents(self, plan):
        for i, entry in enumerate(self.data["strategy_documents"]):
            path = ("strategy_documents", i)
            document = self.upsert(
                StrategyDocument,
                {"title": entry["title"]},
                {
                    "period_start": _date(entry["period_start"]),
                    "period_end": _date(entry["period_end"]),
                    "review_interval_months": entry.get("review_interval_months", 12),
                    "plan": plan,
                },
                path=path,
            )
            first = entry.get("first_version")
            if document is None or first is None:
                continue
            if document.versions.exists():
                # Versions after the first are made (and signed) in the service, never by the loader.
                self.counts[StrategyVersion._meta.verbose_name_plural]["unchanged"] += 1
                continue
            status = first.get("status", "signed")
            in_force = _date(first["in_force_from"]) if first.get("in_force_from") else None
            self.upsert(
                StrategyVersion,
                {"document": document, "number": 1},
                {
                    "summary": first["summary"],
                    "body": first["body"].strip() + "\n",
                    "status": status,
                    "prepared_by": self.system_user(),
                    "in_force_from": datetime.datetime.combine(in_force, datetime.time(), LONDON) if in_force else None,
                    "review_due_on": add_months(in_force, document.review_interval_months) if in_force else None,
                },
                path=(*path, "first_version"),
            )

    def system_user(self) -> User:
        user = User.objects.filter(email__iexact=SYSTEM_USER_EMAIL).first()
        if user is None:
            # Not counted in the summary: it exists only to be named as the preparer of version 1.
            user = User.objects.create_user(
                email=SYSTEM_USER_EMAIL, display_name="System (profile loader)", role="admin", is_active=False
            )
        return user

    def area(self, name: str, path: tuple) -> AreaOfInterest | None:
        """The area of interest called `name` (any letter case), created if new; counted once per load."""
        key = name.casefold()
        if key not in self.areas:
            existing = AreaOfInterest.objects.filter(name__iexact=name).first()
            self.areas[key] = self.upsert(AreaOfInterest, {"name": name}, {}, path=path, obj=existing)
        return self.areas[key]

    def load_partners(self) -> dict[str, Organisation]:
        partners = {}
        for i, entry in enumerate(self.data["partners"]):
            path = ("partners", i)
            areas = [
                self.area(name, (*path, "areas_of_interest", j)) for j, name in enumerate(entry["areas_of_interest"])
            ]
            # An organisation already added by hand under the same name (and no code) is adopted, not copied.
            existing = (
                Organisation.objects.filter(code=entry["code"]).first()
                or Organisation.objects.filter(code__isnull=True, name__iexact=entry["name"])
                .exclude(kind=Organisation.Kind.OPCC)
                .first()
            )
            organisation = self.upsert(
                Organisation,
                {"code": entry["code"]},
                {
                    "code": entry["code"],
                    "name": entry["name"],
                    "kind": entry["kind"],
                    "description": entry.get("description", ""),
                    "is_active": entry.get("is_active", True),
                    **({"website": entry["website"]} if "website" in entry else {}),
                },
                path=path,
                m2m={"areas_of_interest": [a for a in areas if a is not None]},
                obj=existing,
            )
            if organisation is not None:
                partners[organisation.code] = organisation
        # Areas shared with a whole sector (e.g. VCSE "Various subject areas") are areas of interest too.
        for i, note in enumerate(self.data.get("partner_notes", [])):
            for j, name in enumerate(note.get("areas_of_interest", [])):
                self.area(name, ("partner_notes", i, "areas_of_interest", j))
        return partners

    def load_boards(self, partners: dict[str, Organisation], priorities: dict[str, Priority]):
        for i, entry in enumerate(self.data.get("partnership_boards", [])):
            self.upsert(
                PartnershipBoard,
                {"name": entry["name"]},
                {
                    "purpose": entry["purpose"],
                    "chair": partners.get(entry["chair"]) if entry.get("chair") else None,
                    "meeting_frequency": entry.get("meeting_frequency", ""),
                    "opcc_representative": entry.get("opcc_representative", ""),
                    "is_active": entry.get("is_active", True),
                },
                path=("partnership_boards", i),
                m2m={
                    "members": [partners[c] for c in entry.get("members", []) if c in partners],
                    "priorities": [priorities[c] for c in entry.get("priorities", []) if c in priorities],
                },
            )

    def load_funds(self):
        entries = {entry["code"]: (i, entry) for i, entry in enumerate(self.data["funds"])}
        funds: dict[str, Fund] = {}
        # A role (safety fund, innovation fund) moves to the fund this profile gives it.
        declared = {entry["role"]: code for code, (_, entry) in entries.items() if entry.get("role")}
        for fund in Fund.objects.filter(role__in=list(declared)):
            if declared[fund.role] != fund.code:
                self.upsert(Fund, {"code": fund.code}, {"role": ""}, path=("funds",), obj=fund)

        def save(code):  # parents first, whatever the order in the file
            if code in funds:
                return funds[code]
            i, entry = entries[code]
            parent = save(entry["parent"]) if entry.get("parent") else None
            funds[code] = self.upsert(
                Fund,
                {"code": code},
                {
                    "name": entry["name"],
                    "parent": parent,
                    "purpose": entry.get("purpose", ""),
                    "is_ring_fenced": entry.get("is_ring_fenced", False),
                    "ring_fence_purpose": entry.get("ring_fence_purpose", ""),
                    "funded_by": entry.get("funded_by", ""),
                    "role": entry.get("role", ""),
                    "allows_carry_forward": entry["carries_forward"],
                    "order": entry.get("order", i + 1),
                },
                path=("funds", i),
            )
            return funds[code]

        for code in entries:
            save(code)
        for i, group in enumerate(self.data.get("fund_splits", [])):
            parent = funds.get(group["parent"])
            shares = {funds.get(s["fund"]): Decimal(s["percentage"]) for s in group["shares"]}
            if parent is None or None in shares:
                continue
            try:
                counts = fund_split_set(
                    parent=parent,
                    effective_from=_date(group["effective_from"]),
                    shares=shares,
                    reason=self.reason,
                )
            except ValidationError as exc:
                self.problems += [Problem(("fund_splits", i), m) for m in exc.messages]
                continue
            self.counts["fund splits"].update(counts)

    def load_grant_scheme(self):
        """The Community Grant Scheme (seed, Section 3) with its limits, funds and first terms and conditions."""
        section = self.data.get("settings", {}).get("community_grant_scheme")
        if not section:
            return
        path = ("settings", "community_grant_scheme")
        funds = {f.code: f for f in Fund.objects.filter(code__in=[section["fund"], section.get("top_up_fund")])}
        if section["fund"] not in funds:
            return  # reported by the funds section
        scheme = self.upsert(
            GrantScheme,
            {"code": section.get("code", DEFAULT_SCHEME_CODE)},
            {
                "name": section.get("name", "Community Grant Scheme"),
                "description": section.get("description", DEFAULT_SCHEME_DESCRIPTION),
                "who_can_apply": section.get("who_can_apply", DEFAULT_WHO_CAN_APPLY),
                "min_award": _money(section["min_award"]),
                "max_award": _money(section["max_award"]),
                "fund": funds[section["fund"]],
                "top_up_fund": funds.get(section.get("top_up_fund")),
            },
            path=path,
        )
        terms = section.get("terms")
        if scheme is None or not terms:
            return
        values = {"text": terms["text"].strip(), "effective_from": _date(terms["effective_from"])}
        existing = TermsVersion.objects.filter(scheme=scheme, version=terms["version"]).first()
        changed = existing is not None and any(getattr(existing, k) != v for k, v in values.items())
        if changed and existing.rounds.exists():
            # Applicants accepted these words: changed terms are a new version, never an edit.
            self.problems.append(
                Problem(
                    (*path, "terms", "version"),
                    f"terms version {terms['version']} is used by grant rounds and cannot change; "
                    "give the changed terms a new version",
                )
            )
            return
        self.upsert(
            TermsVersion, {"scheme": scheme, "version": terms["version"]}, values, path=(*path, "terms"), obj=existing
        )

    def load_innovation_weights(self):
        """Weights of the Local Innovation Fund's three factors; equal weights from 1 April 2017 unless the
        profile sets them (or the OPCC already has some)."""
        entry = self.data.get("settings", {}).get("local_innovation_fund_weights")
        if entry is None:
            if InnovationWeights.objects.exists():
                return
            entry = {"effective_from": "2017-04-01", "likelihood_weight": 1, "priority_weight": 1, "need_weight": 1}
        self.upsert(
            InnovationWeights,
            {"effective_from": _date(entry["effective_from"])},
            {name: _money(entry[name]) for name in ("likelihood_weight", "priority_weight", "need_weight")},
            path=("settings", "local_innovation_fund_weights"),
        )

    def load_procurement(self):
        for i, entry in enumerate(self.data["procurement_thresholds"]):
            self.upsert(
                ProcurementThreshold,
                {
                    "regime": entry["regime"],
                    "category": entry["category"],
                    "effective_from": _date(entry["effective_from"]),
                },
                {"amount": _money(entry["amount"]), "source": entry.get("source", "")},
                path=("procurement_thresholds", i),
            )
        for i, entry in enumerate(self.data["standing_order_tiers"]):
            maximum = entry.get("max_value")
            self.upsert(
                StandingOrderTier,
                {
                    "min_value": _money(entry["min_value"]),
                    "effective_from": _date(entry["effective_from"]),
                },
                {
                    "name": entry["name"],
                    "max_value": _money(maximum) if maximum is not None else None,
                    "route": entry["route"],
                    "quotes_required": entry["quotes_required"],
                    "tender_required": entry["tender_required"],
                    "procedures": list(entry.get("procedures", [])),
                },
                path=("standing_order_tiers", i),
            )
        for i, entry in enumerate(self.data["procurement_regimes"]):
            self.upsert(
                ProcurementRegimeStart,
                {"regime": entry["regime"]},
                {
                    "name": entry["name"],
                    "applies_from": _date(entry["applies_from"]),
                    "source": entry.get("source", ""),
                },
                path=("procurement_regimes", i),
            )
        for i, entry in enumerate(self.data.get("procurement_approvals", [])):
            self.upsert(
                ApprovalRole,
                {"action": entry["action"], "effective_from": _date(entry["effective_from"])},
                {"role": entry["role"]},
                path=("procurement_approvals", i),
            )
        for i, entry in enumerate(self.data.get("publication_thresholds", [])):
            self.upsert(
                PublicationThreshold,
                {"applies_from": _date(entry["applies_from"])},
                {"contracts_over": _money(str(entry["contracts_over"])), "source": entry.get("source", "")},
                path=("publication_thresholds", i),
            )
        for i, entry in enumerate(self.data.get("abnormally_low_rules", [])):
            self.upsert(
                AbnormallyLowRule,
                {"effective_from": _date(entry["effective_from"])},
                {"percent_of_mean": _money(str(entry["percent_of_mean"]))},
                path=("abnormally_low_rules", i),
            )

    def load_kpi_rag(self):
        """How KPI figures are rated against targets: amber within 10% of the target from 1 April 2017 unless the
        profile sets it (or the OPCC already has a rule)."""
        entry = self.data.get("settings", {}).get("kpi_rag")
        if entry is None:
            if RagRule.objects.exists():
                return
            entry = {"effective_from": "2017-04-01", "amber_margin_percent": 10}
        self.upsert(
            RagRule,
            {"effective_from": _date(entry["effective_from"])},
            {"amber_margin_percent": entry["amber_margin_percent"]},
            path=("settings", "kpi_rag"),
        )

    def load_review_rules(self):
        """When agreements are flagged for strategic review and who decides (settings.strategic_review), and the
        Procurement Act 2023's contract management threshold (settings.contract_management): dated rows, so a
        change of policy or law applies from its date (issue 11, points 4 and 6)."""
        settings = self.data.get("settings", {})
        entry = settings.get("strategic_review")
        if entry is not None:
            self.upsert(
                StrategicReviewRule,
                {"effective_from": _date(entry["effective_from"])},
                {"window_months": entry["window_months"], "deciding_role": entry.get("decided_by", "pcc")},
                path=("settings", "strategic_review"),
            )
        entry = settings.get("contract_management")
        if entry is not None:
            self.upsert(
                ContractManagementRule,
                {"effective_from": _date(entry["effective_from"])},
                {"value_threshold": _money(entry["value_threshold"]), "minimum_kpis": entry.get("minimum_kpis", 3)},
                path=("settings", "contract_management"),
            )

    def load_kpis(self):
        for i, entry in enumerate(self.data["kpi_definitions"]):
            self.upsert(
                KpiDefinition,
                {"code": entry["code"]},
                {
                    "name": entry["name"],
                    "description": entry.get("description", ""),
                    "kind": entry["kind"],
                    "breakdown": kpi_categories(entry),
                    "groups": [
                        {"heading": g["heading"], "categories": list(g["categories"])} for g in entry.get("groups", [])
                    ],
                    "codes": {str(code): category for code, category in (entry.get("codes") or {}).items()},
                    "adds_up": entry.get("adds_up", True),
                    "not_known": entry.get("not_known", ""),
                    "is_minimum_dataset": entry.get("is_minimum_dataset", False),
                    "applies_when": entry.get("applies_when", ""),
                    "order": entry.get("order", i + 1),
                },
                path=("kpi_definitions", i),
            )

    def load_funding_streams(self):
        """Funding streams named in the profile, with the KPIs their funders require (monitoring.FunderKpi)."""
        for i, entry in enumerate(self.data.get("funding_streams", [])):
            fund = Fund.objects.filter(code=entry["pays_into"]).first()
            funder = Organisation.objects.filter(code=entry["funder"]).first() if entry.get("funder") else None
            stream = self.upsert(
                FundingStream,
                {"code": entry["code"]},
                {
                    "name": entry["name"],
                    "source": entry["source"],
                    "fund": fund,
                    "funder": funder,
                    "grant_terms": entry.get("grant_terms", ""),
                    "reporting_requirements": entry.get("reporting_requirements", ""),
                },
                path=("funding_streams", i),
            )
            if stream is None:
                continue
            for j, required in enumerate(entry.get("required_kpis", [])):
                definition = KpiDefinition.objects.filter(code=required["kpi"]).first()
                if definition is None:
                    continue
                self.upsert(
                    FunderKpi,
                    {
                        "stream": stream,
                        "definition": definition,
                        "effective_from": _date(str(required["effective_from"])),
                    },
                    {
                        "frequency": required.get("frequency", "quarterly"),
                        "effective_to": _date(str(required["effective_to"])) if required.get("effective_to") else None,
                    },
                    path=("funding_streams", i, "required_kpis", j),
                )
