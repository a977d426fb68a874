from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from commissioning.home import selectors


@login_required
def home(request):
    return render(request, "home/home.html", selectors.dashboard_for(request.user))
