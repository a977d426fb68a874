"""Grants: the Community Grant Scheme (schemes, rounds, applications, assessment, awards, end-of-grant
reports), one-off proposals, and Local Innovation Fund prioritisation (seed, Section 3)."""

from commissioning.grants.models.applications import (  # noqa: F401
    Application,
    ApplicationBudgetLine,
    Attachment,
)
from commissioning.grants.models.assessment import (  # noqa: F401
    AssessorAssignment,
    CriterionScore,
    ModeratedScore,
    Moderation,
)
from commissioning.grants.models.awards import Award, EndOfGrantReport  # noqa: F401
from commissioning.grants.models.innovation import (  # noqa: F401
    InnovationCandidate,
    InnovationWeights,
    Prioritisation,
    PrioritisationEntry,
)
from commissioning.grants.models.proposals import Approach, ProposalAssessment, ProposalForm  # noqa: F401
from commissioning.grants.models.schemes import (  # noqa: F401
    AssessmentCriterion,
    EligibilityQuestion,
    GrantRound,
    GrantScheme,
    TermsVersion,
)
