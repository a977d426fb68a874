"""The builder: reads what the loaded profile provides, makes the organisations, users and budgets every share
uses, and plans each county-sized share (allocation.py fits its money to the budgets, writing.py saves it)."""

import datetime as dt
import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import F, Max, Sum

from commissioning.accounts.models import User
from commissioning.accounts.roles import OPCC_STAFF, Role
from commissioning.agreements.models import Agreement
from commissioning.core.models import opcc_settings
from commissioning.demo.generate import allocation, grants, innovation, procurement, returns, writing
from commissioning.demo.generate.common import (
    BATCH,
    CAL,
    CORE,
    CSA,
    FUND_CODES,
    GEN,
    GENERATED_BUDGET_NOTE,
    GRANT,
    INNOVATION,
    LEAF_FUNDS,
    NONE,
    ORG_PREFIX,
    OTHER,
    PA,
    PA_2023_FROM,
    PCR,
    PENNY,
    POUND,
    PROPERTY,
    SAFETY,
    SERVICES_PER_COPY,
    USER_DOMAIN,
    VICTIMS,
    A,
    GenerateError,
    GenerateSummary,
    Scale,
    month_end,
    month_index,
    month_start,
    split_pence,
)
from commissioning.demo.generate.plans import AgreementPlan, ServicePlan
from commissioning.demo.generate.words import (
    COMMUNITY_PROJECTS,
    PLACES,
    PROVIDER_SUFFIXES,
    QUALIFIERS,
    THEME,
    THEMES,
    VCSE_SUFFIXES,
    Theme,
)
from commissioning.funds.models import Budget, BudgetLine, Commitment, FinancialYear, Fund, FundSplit, Payment
from commissioning.organisations.models import AreaOfInterest, Organisation
from commissioning.strategy.models import DecisionRecord, PanelArea, Priority


class Builder:
    def __init__(self, *, scale: Scale, seed: int, summary: GenerateSummary):
        self.scale, self.rng, self.summary = scale, random.Random(seed), summary
        self.counts = summary.counts

    # Context from the profile ------------------------------------------------------------------------------

    def load_context(self):
        funds = {fund.code: fund for fund in Fund.objects.filter(code__in=FUND_CODES)}
        missing = [code for code in FUND_CODES if code not in funds]
        if missing:
            raise GenerateError(
                "generate_data builds on the Dorset fund structure; the loaded profile has no fund with code "
                + ", ".join(missing)
            )
        self.funds = funds
        self.opcc = Organisation.objects.filter(kind=Organisation.Kind.OPCC).first()
        current = opcc_settings()
        self.area = current.area_name if current else "the county"
        self.partners = list(
            Organisation.objects.filter(kind=Organisation.Kind.STATUTORY, is_active=True)
            .exclude(code__startswith=ORG_PREFIX)
            .order_by("name", "pk")
        )
        if not self.partners or self.opcc is None:
            raise GenerateError("generate_data needs the OPCC and its statutory partners from the profile")
        self.priorities = {
            p.code: p for p in Priority.objects.filter(pillar__plan__is_current=True).order_by("pillar__number", "code")
        }
        if not self.priorities:
            self.priorities = {p.code: p for p in Priority.objects.order_by("pk")}
        self.panel_areas = {a.code: a for a in PanelArea.objects.order_by("order", "code")}
        self.areas = {a.name.casefold(): a for a in AreaOfInterest.objects.order_by("name")}
        first_split = FundSplit.objects.filter(parent=funds[VICTIMS]).order_by("effective_from").first()
        if first_split is None:
            raise GenerateError("generate_data needs the Victims Fund's split (e.g. 93%/7%) from the profile")
        self.first_split = first_split.effective_from
        self.decision_sequence = {
            row["year"]: row["last"] for row in DecisionRecord.objects.values("year").annotate(last=Max("sequence"))
        }
        self.payment_numbers: dict[str, int] = defaultdict(int)
        self.taken_references = set(
            Payment.objects.filter(reference__regex=r"^(PAY|REP)-[0-9]{4}-[0-9]+$").values_list("reference", flat=True)
        )
        self.service_number = 0
        self.application_number = 0
        self.agreement_numbers: dict[int, int] = defaultdict(int)
        self.areas_text = [
            f"Pan-{self.area}",
            f"North {self.area}",
            f"South {self.area}",
            f"East {self.area}",
            f"West {self.area}",
            f"{self.area} coast",
            f"Rural {self.area}",
        ]

    def years(self):
        existing = {
            y.start_year: y for y in FinancialYear.objects.filter(start_year__range=(CAL.first_year, CAL.last_year))
        }
        new = [FinancialYear(start_year=y) for y in range(CAL.first_year, CAL.last_year + 1) if y not in existing]
        FinancialYear.objects.bulk_create(new)
        self.year_rows = {
            y.start_year: y for y in FinancialYear.objects.filter(start_year__range=(CAL.first_year, CAL.last_year))
        }

    # Organisations and users -------------------------------------------------------------------------------

    def organisation_names(self, count: int, suffixes) -> list[tuple[str, str | None]]:
        names = []
        for qualifier in QUALIFIERS:
            block = [
                (" ".join(filter(None, (qualifier, place, suffix))), theme)
                for place in PLACES
                for suffix, theme in suffixes
            ]
            self.rng.shuffle(block)
            names += block
            if len(names) >= count:
                return names[:count]
        raise GenerateError(f"not enough invented names for {count} organisations")

    def organisations(self):
        prefix = (opcc_settings().grants_prefix if opcc_settings() else "360G-opcc") + "-ORG-"
        rows, self.by_theme, self.base_names = [], defaultdict(list), {}
        self.vcse, self.businesses = [], []
        plan = [(Organisation.Kind.VCSE, name) for name in self.organisation_names(self.scale.vcse, VCSE_SUFFIXES)]
        plan += [
            (Organisation.Kind.PROVIDER, name)
            for name in self.organisation_names(self.scale.providers, PROVIDER_SUFFIXES)
        ]
        themes = []
        for number, (kind, (name, theme)) in enumerate(plan, start=1):
            code = f"{ORG_PREFIX}org-{number:05d}"
            description = (
                "An invented voluntary or community organisation (generated benchmark data)."
                if kind == Organisation.Kind.VCSE
                else "An invented business or social enterprise (generated benchmark data)."
            )
            rows.append(
                Organisation(
                    code=code,
                    name=name + GEN,
                    kind=kind,
                    description=description,
                    org_id=prefix + code,  # Organisation.save derives this; bulk_create does not call save
                    email=f"enquiries@{code}.{USER_DOMAIN}",
                )
            )
            themes.append(theme)
        Organisation.objects.bulk_create(rows, batch_size=BATCH)
        through = Organisation.areas_of_interest.through
        links = []
        for organisation, theme in zip(rows, themes, strict=True):
            self.base_names[organisation.pk] = organisation.name.removesuffix(GEN)
            (self.vcse if organisation.kind == Organisation.Kind.VCSE else self.businesses).append(organisation)
            if theme:
                self.by_theme[(theme, organisation.kind)].append(organisation)
            names = THEME[theme].areas if theme else ("Various subject areas",)
            for name in names[: self.rng.randint(1, len(names))]:
                if name.casefold() in self.areas:
                    links.append(
                        through(organisation_id=organisation.pk, areaofinterest_id=self.areas[name.casefold()].pk)
                    )
        through.objects.bulk_create(links, batch_size=BATCH)
        self.counts["organisations"] += len(rows)

    def users(self):
        specs = [(role, 0) for role in Role]
        specs += [(Role.FINANCE_OFFICER, n) for n in (2, 3, 4)]
        specs += [(Role.POLICY_OFFICER, n) for n in (2, 3)] + [(Role.COMMISSIONING_MANAGER, 2)]
        organisation_for = {
            Role.PARTNER: self.partners[0],
            Role.PROVIDER: self.businesses[0],
            Role.APPLICANT: self.vcse[0],
            Role.SUPPLIER: self.businesses[-1],
        }
        existing = {u.email: u for u in User.objects.filter(email__endswith=f"@{USER_DOMAIN}")}
        self.people = defaultdict(list)
        for role, number in specs:
            email = f"{role.value}{f'-{number}' if number else ''}@{USER_DOMAIN}"
            organisation = self.opcc if role in OPCC_STAFF else organisation_for.get(role)
            user = existing.get(email)
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    display_name=f"Generated {role.label}{f' {number}' if number else ''}",
                    job_title=role.label,
                    role=role.value,
                    organisation=organisation,
                )
                self.counts["users"] += 1
            elif user.organisation_id != (organisation.pk if organisation else None):
                User.objects.filter(pk=user.pk).update(organisation=organisation)
            self.people[role].append(user)
        self.pcc, self.cfo = self.people[Role.PCC][0], self.people[Role.CFO][0]
        self.finance = self.people[Role.FINANCE_OFFICER]
        self.officers = self.people[Role.COMMISSIONING_MANAGER] + self.people[Role.POLICY_OFFICER]

    # Budgets shared by every county-sized share ----------------------------------------------------------

    def budgets(self):
        """Budgets already there for the decade's leaf funds, and the room they leave (the first share's).

        Anything made in the app counts: its lines add money, its live commitments (planned ones too) use it up.
        """
        self.budget_rows = {
            (b.fund.code, b.year.start_year): b
            for b in Budget.objects.filter(
                fund__code__in=LEAF_FUNDS, year__start_year__range=(CAL.first_year, CAL.last_year)
            ).select_related("fund", "year")
        }
        self.existing_room = Counter()
        for row in (
            BudgetLine.objects.filter(budget__in=[b.pk for b in self.budget_rows.values()])
            .values("budget__fund__code", "budget__year__start_year")
            .annotate(total=Sum("amount"))
        ):
            self.existing_room[(row["budget__fund__code"], row["budget__year__start_year"])] += int(row["total"] * 100)
        for row in (
            Commitment.objects.filter(
                fund__code__in=LEAF_FUNDS, year__start_year__range=(CAL.first_year, CAL.last_year)
            )
            .values("fund__code", "year__start_year")
            .annotate(total=Sum(F("amount") - F("released_amount")))
        ):
            self.existing_room[(row["fund__code"], row["year__start_year"])] -= int(row["total"] * 100)

    def budget(self, code: str, year: int) -> Budget:
        """The fund's budget for the year, made (and saved with write_new_budgets) if there is none."""
        budget = self.budget_rows.get((code, year))
        if budget is None:
            budget = Budget(fund=self.funds[code], year=self.year_rows[year], notes=GENERATED_BUDGET_NOTE)
            self.budget_rows[(code, year)] = budget
        return budget

    def finish_budgets(self):
        """Each budget's amount is the sum of its lines (those already there and the generated ones)."""
        existing = Counter()
        for row in (
            BudgetLine.objects.filter(budget__in=[b.pk for b in self.budget_rows.values()])
            .values("budget_id")
            .annotate(total=Sum("amount"))
        ):
            existing[row["budget_id"]] = row["total"]
        changed = []
        for budget in self.budget_rows.values():
            total = Decimal(existing[budget.pk]).quantize(PENNY)
            if budget.amount != total:
                budget.amount = total
                changed.append(budget)
        Budget.objects.bulk_update(changed, ["amount"], batch_size=BATCH)

    # One county-sized share -------------------------------------------------------------------------------

    def share(self, number: int):
        self.copy, self.virements = number, []
        self.tag = "" if self.scale.copies == 1 else f", share {number + 1:02d}"
        plans = self.plan_services()
        innovation.plan_allowances(self)
        commitments = allocation.plan_commitments(self, plans)
        allocation.decide_community_grants(self, plans, commitments)
        procurement.plan_tenders(self, plans)
        writing.write_services(self, plans)
        writing.write_money(self, commitments)
        grants.write_rounds(self, plans)
        returns.write_returns(self, plans)
        procurement.write_cases(self)
        innovation.write_prioritisations(self)

    def pick(self, options, weights=None):
        return self.rng.choices(options, weights=weights)[0] if weights else self.rng.choice(options)

    def provider_for(self, theme: Theme, kind: str) -> Organisation:
        if kind == Organisation.Kind.STATUTORY:
            return self.pick(self.partners)
        themed = self.by_theme.get((theme.key, kind), [])
        if themed and self.rng.random() < 0.75:
            return self.pick(themed)
        return self.pick(self.vcse if kind == Organisation.Kind.VCSE else self.businesses)

    def choose_priorities(self, theme: Theme) -> list:
        codes = [c for c in theme.priorities if c in self.priorities]
        pool = [self.priorities[c] for c in codes] or list(self.priorities.values())
        return self.rng.sample(pool, self.rng.randint(1, min(3, len(pool))))

    def choose_panel_areas(self, theme: Theme) -> list:
        areas = [self.panel_areas[c] for c in theme.panel_areas if c in self.panel_areas]
        if not areas:
            areas = [self.pick(list(self.panel_areas.values()))] if self.panel_areas else []
        return areas[:1] if len(areas) < 2 or self.rng.random() < 0.65 else areas[:2]

    def plan_services(self) -> list[ServicePlan]:
        plans = []
        for approach, count in SERVICES_PER_COPY.items():
            for _ in range(count):
                if approach == A.COMMUNITY_GRANT:
                    plans.append(self.plan_community_grant())
                elif approach == A.ONE_OFF:
                    plans.append(self.plan_one_off())
                else:
                    plans.append(self.plan_long_running(approach))
        return plans

    def service(self, approach, theme, noun, provider, agreements, **extra) -> ServicePlan:
        provider_name = self.base_names.get(provider.pk, provider.name)
        return ServicePlan(
            approach=approach,
            theme=theme,
            name=f"{noun} – {provider_name}{GEN}",
            provider=provider,
            priorities=self.choose_priorities(theme),
            panel_areas=self.choose_panel_areas(theme),
            agreements=agreements,
            delivery_area=self.pick(self.areas_text),
            lead=self.pick(self.officers),
            **extra,
        )

    def plan_community_grant(self) -> ServicePlan:
        year = self.rng.randint(CAL.first_year, CAL.last_year)
        starts_on = month_start(month_index(dt.date(year, 4, 1)) + self.rng.randint(2, 11))
        band = self.pick(((100, 500, 50), (500, 1500, 50), (1500, 3001, 100)), weights=(2, 5, 3))
        pounds = self.rng.randrange(*band)
        agreement = AgreementPlan(
            kind=Agreement.Kind.GRANT,
            regime=GRANT,
            starts_on=starts_on,
            ends_on=min(month_end(month_index(starts_on) + 11), dt.date(year + 1, 3, 31)),  # within the round's year
            annual=pounds * POUND,
            funds=[(PROPERTY, 100)],
            terms="advance",
        )
        theme = THEME["prevention"] if self.rng.random() < 0.7 else self.pick(THEMES)
        noun = self.pick(COMMUNITY_PROJECTS)
        return self.service(A.COMMUNITY_GRANT, theme, noun, self.provider_for(theme, "vcse"), [agreement])

    def plan_one_off(self) -> ServicePlan:
        theme = self.pick(THEMES, weights=[t.weight for t in THEMES])
        year = self.rng.randint(CAL.first_year, CAL.last_year)
        starts_on = month_start(month_index(dt.date(year, 4, 1)) + self.rng.randint(0, 9))
        months = self.pick((6, 12, 12, 18, 24))
        total = self.rng.randrange(3_000, 60_001, 250)
        fund = CSA if theme.ring_fenced else (OTHER if self.rng.random() < 0.25 else INNOVATION)
        agreement = AgreementPlan(
            kind=Agreement.Kind.GRANT,
            regime=GRANT,
            starts_on=starts_on,
            ends_on=month_end(month_index(starts_on) + months - 1),
            annual=total * 12 // months * POUND,
            funds=[(fund, 100)],
            terms="quarterly",
            victims=theme.fund in (CORE, CSA),
        )
        kind = Organisation.Kind.VCSE if self.rng.random() < 0.85 else Organisation.Kind.PROVIDER
        if self.rng.random() < 0.5:
            agreement.decision = allocation.decision_for(self, agreement, theme, one_off=True)
        return self.service(A.ONE_OFF, theme, self.pick(theme.nouns), self.provider_for(theme, kind), [agreement])

    def annual_amount(self) -> int:
        """Pence a year for a priority, inherited or co-commissioned service: £20k to £600k, mostly small."""
        band = self.pick(
            ((20_000, 45_000, 500), (45_000, 100_000, 1_000), (100_000, 250_000, 5_000), (250_000, 600_001, 10_000)),
            weights=(78, 17, 4, 1),
        )
        return self.rng.randrange(*band) * POUND

    def plan_long_running(self, approach: str) -> ServicePlan:
        theme = self.pick(THEMES, weights=[t.weight for t in THEMES])
        if approach == A.INHERITED:
            starts_on = dt.date(CAL.first_year - self.pick((3, 2, 1, 0)), self.pick((4, 4, 4, 10)), 1)
            first_end = dt.date(self.rng.randint(CAL.first_year + 2, CAL.first_year + 5), 3, 31)
            months = month_index(first_end) - month_index(starts_on) + 1
        else:  # half commissioned in the strategy's first years, the rest through the decade
            last = CAL.last_year if approach == A.PRIORITY else CAL.last_year - 1
            early = self.rng.random() < 0.5
            year = (
                self.rng.randint(CAL.first_year, CAL.first_year + 2)
                if early
                else self.rng.randint(CAL.first_year + 3, last)
            )
            starts_on = month_start(month_index(dt.date(year, 4, 1)) + self.pick((0, 0, 0, 3, 6, 9)))
            months = self.pick((36, 48, 60, 60))
        annual = self.annual_amount() if not theme.ring_fenced else self.rng.randrange(20_000, 45_001, 500) * POUND
        if approach == A.INHERITED:
            kind = self.pick((Agreement.Kind.CONTRACT, Agreement.Kind.GRANT, Agreement.Kind.SLA), weights=(4, 4, 2))
        elif approach == A.PRIORITY:
            kind = self.pick((Agreement.Kind.CONTRACT, Agreement.Kind.GRANT), weights=(3, 1))
        else:
            kind = self.pick(
                (Agreement.Kind.PARTNERSHIP, Agreement.Kind.CONTRACT, Agreement.Kind.GRANT), weights=(2, 1, 1)
            )
        if kind == Agreement.Kind.SLA:
            provider = self.provider_for(theme, Organisation.Kind.STATUTORY)
        elif kind == Agreement.Kind.CONTRACT and self.rng.random() < 0.5:
            provider = self.provider_for(theme, Organisation.Kind.PROVIDER)
        else:
            provider = self.provider_for(theme, Organisation.Kind.VCSE)
        funds = self.funding_mix(theme)
        agreements = [self.agreement(kind, starts_on, months, annual, funds, approach, theme)]
        renew = {A.INHERITED: 0.95, A.PRIORITY: 0.8, A.CO_COMMISSIONED: 0.75}[approach]
        next_start = agreements[0].ends_on + dt.timedelta(days=1)
        if self.rng.random() < renew and next_start <= dt.date(CAL.last_year + 1, 3, 1):
            if approach == A.INHERITED and kind == Agreement.Kind.SLA:
                kind = Agreement.Kind.PARTNERSHIP  # re-let as a partnership with the statutory provider
            elif approach == A.INHERITED and self.rng.random() < 0.5:
                kind = Agreement.Kind.CONTRACT  # retendered under the Priority Commissioning Scheme
            annual = annual * self.rng.randint(90, 125) // 100 // POUND * POUND
            months = self.pick((36, 48, 60, 72))
            agreements.append(self.agreement(kind, next_start, months, annual, funds, approach, theme))
        last = agreements[-1]
        if last.ends_on < CAL.as_of and self.rng.random() < 0.08:
            last.terminated = True
        plan = self.service(approach, theme, self.pick(theme.nouns), provider, agreements)
        if approach == A.CO_COMMISSIONED:
            partners = self.rng.sample(self.partners, self.rng.randint(1, min(3, len(self.partners))))
            total = sum(a.value for a in agreements)
            # The partners together pay 20% to 90% of what the agreements are worth over the life, each a share of
            # it to the £100 below, so the OPCC's own share is never less than nothing.
            together = total * self.rng.randrange(20, 91, 5) // 100
            weights = [self.rng.randint(1, 4) for _ in partners]
            for partner, pence in zip(partners, split_pence(together, weights), strict=True):
                if pence >= 100 * POUND:
                    plan.co_funders.append((partner, pence // (100 * POUND) * 100 * POUND))
        return plan

    def funding_mix(self, theme: Theme) -> list:
        """Which leaf funds pay an agreement, in percent: the theme's fund, often with one or two others."""
        primary = theme.fund if theme.ring_fenced or self.rng.random() < 0.75 else SAFETY
        funds = self.pick((1, 2, 3), weights=(25, 50, 25))
        if funds == 1:
            return [(primary, 100)]
        if primary in (CORE, CSA):
            others = [SAFETY if primary == CORE or self.rng.random() < 0.5 else CORE, self.pick((INNOVATION, OTHER))]
        else:
            others = self.rng.sample((INNOVATION, OTHER, CORE) if theme.fund == CORE else (INNOVATION, OTHER), 2)
        share = self.rng.randrange(50, 85, 5)
        if funds == 2:
            return [(primary, share), (others[0], 100 - share)]
        second = self.rng.randrange(5, 100 - share, 5)
        return [(primary, share), (others[0], second), (others[1], 100 - share - second)]

    def agreement(self, kind, starts_on, months, annual, funds, approach, theme) -> AgreementPlan:
        if kind == Agreement.Kind.GRANT:
            regime = GRANT
        elif kind == Agreement.Kind.CONTRACT:
            regime = PA if starts_on >= PA_2023_FROM else PCR
        else:
            regime = NONE
        # Larger contracts and service level agreements are invoiced monthly; grants are paid quarterly.
        invoiced = kind in (Agreement.Kind.CONTRACT, Agreement.Kind.SLA) and annual >= 40_000 * POUND
        plan = AgreementPlan(
            kind=kind,
            regime=regime,
            starts_on=starts_on,
            ends_on=month_end(month_index(starts_on) + months - 1),
            annual=annual,
            funds=funds,
            terms="monthly" if invoiced else "quarterly",
            victims=theme.fund in (CORE, CSA),
        )
        if plan.value >= 100_000 * POUND and self.rng.random() < 0.6:
            plan.decision = allocation.decision_for(self, plan, theme)
        return plan

    # Money ------------------------------------------------------------------------------------------------

    def room(self, code: str, year: int) -> int:
        """Money already in a budget (lines less live commitments) before generating; the first share's."""
        return self.existing_room[(code, year)] if self.copy == 0 else 0

    def stream_label(self, key: str) -> str:
        names = {
            "moj": "Ministry of Justice victims grant",
            "internal": "Internal budget allocation",
            "reserves": "PCC reserves",
            "ppa": "Police Property Act proceeds",
        }
        names.update({k: name for k, name, _, _ in CAL.home_office_grants})
        return f"{names[key]}{self.tag}"
